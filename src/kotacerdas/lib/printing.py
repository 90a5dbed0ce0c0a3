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


def one_page_pdf(lines):
    """A valid one-page PDF showing ``lines`` (ASCII text) in Helvetica: for invented demo
    documents, which must pass the same content check as a real upload without a typst run each.
    The cross-reference table holds each object's byte offset, as the PDF 1.4 reference asks."""
    def literal(text):
        text = str(text).encode("ascii", "replace").decode("ascii")
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    stream = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"{literal(line)} '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream.encode())} >>\nstream\n{stream}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
