"""Text from users inside typst markup (the printable reports).

A user's text is markup-escaped, and characters that would change the document's structure are
turned into spaces: a line break inside ``*...*`` leaves the emphasis unclosed and typst refuses
the whole document (a phase name with a line break broke the public decision PDF).
"""

import re

_MARKUP = "\\#*_`$<>@[]=-+/~\"'"
_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def typst_text(value):
    """``value`` as literal text on one line of typst markup."""
    text = _SURROGATES.sub("", _BREAKS.sub(" ", str(value)))
    return "".join("\\" + char if char in _MARKUP else char for char in text)
