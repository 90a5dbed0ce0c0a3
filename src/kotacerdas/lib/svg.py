"""One way to draw: a standalone, accessible ``<svg>`` element for the server-rendered charts and
maps (DESIGN.md: "charts and maps: server-rendered SVG")."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def svg(view_box, body, *, css_class, title=None, title_id=None, width=None, height=None, style="", defs=""):
    """Safe markup of an ``<svg>`` with role "img": ``body``, ``style`` and ``defs`` are markup the
    caller built from escaped text (:func:`text`); ``title`` (plain text) names the picture for
    screen readers, referenced by ``title_id`` when given."""
    size = format_html(' width="{}" height="{}"', width, height) if width is not None and height is not None else ""
    labelled = format_html(' aria-labelledby="{}"', title_id) if title_id else ""
    heading = ""
    if title is not None:
        heading = format_html('<title id="{}">{}</title>', title_id, title) if title_id else format_html("<title>{}</title>", title)
    return format_html(
        '<svg class="{}" viewBox="{}"{} role="img"{} xmlns="{}">{}{}{}{}</svg>',
        css_class, view_box, size, labelled, SVG_NAMESPACE, heading,
        mark_safe(f"<style>{style}</style>") if style else "",
        mark_safe(f"<defs>{defs}</defs>") if defs else "",
        mark_safe(str(body)),
    )


def text(value):
    """``value`` escaped for the text of an SVG element."""
    return str(escape(str(value)))
