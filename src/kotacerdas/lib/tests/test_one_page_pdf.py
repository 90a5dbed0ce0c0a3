"""The hand-written one-page PDF of the demo documents, read back by pypdf (a real PDF reader)."""

import io

from pypdf import PdfReader

from kotacerdas.lib.files import sniff
from kotacerdas.lib.printing import one_page_pdf


def test_pypdf_reads_the_page_and_its_text_strictly():
    content = one_page_pdf(["DEMO: Analisis SWOT", "Invented (not real) \\ text"])
    reader = PdfReader(io.BytesIO(content), strict=True)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "DEMO: Analisis SWOT" in text and "Invented (not real) \\ text" in text
    assert sniff(content, ".pdf")


def test_the_cross_reference_offsets_point_at_their_objects():
    content = one_page_pdf(["x"])
    xref = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    rows = content[xref:].split(b"\n")[3:8]
    for number, row in enumerate(rows, start=1):
        offset = int(row.split()[0])
        assert content[offset:].startswith(f"{number} 0 obj".encode())
