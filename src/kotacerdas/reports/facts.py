"""Published facts that belong to no stage's records: the MoU signing event of each real phase.

Every region selected in a real phase signed its memorandum at that phase's national event
(``data/mou_events.csv``, with its sources in ``data/SOURCES.md``). The file is shipped with the
package and read as it is, so every server shows the same facts; nothing is invented for a
region (no signatory or MoU number was published for all of them).
"""

import datetime
from pathlib import Path

from kotacerdas.lib.tabular import read_table

MOU_EVENTS_CSV = Path(__file__).resolve().parent.parent / "data" / "mou_events.csv"


def mou_events(path=MOU_EVENTS_CSV):
    """{phase year: the published MoU event} from the shipped file."""
    table = read_table(path, required_columns=("phase_year", "starts_on", "ends_on", "venue", "city", "source"))
    events = {}
    for _line, row in table.rows:
        events[int(row["phase_year"])] = {
            "starts_on": datetime.date.fromisoformat(row["starts_on"]),
            "ends_on": datetime.date.fromisoformat(row["ends_on"]),
            "venue": row["venue"],
            "city": row["city"],
            "document": row.get("document", ""),
            "source": row["source"],
        }
    return events
