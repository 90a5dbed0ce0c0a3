"""Writing typst source for the printable documents (decision, result letters)."""


def markup_text(value):
    """``value`` escaped for typst markup (so that '#', '*', '_' ... print as themselves)."""
    text = str(value)
    for char in "\\#*_`$<>@[]=-+/~\"'":
        text = text.replace(char, "\\" + char)
    return text


def string_literal(value):
    """``value`` as a typst string literal (e.g. SVG text for ``image(bytes(...))``)."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
