"""The demo's accounts, one per role; they exist only in the local demo database."""

from kotacerdas.regions.models import Region

from .services import ensure_account

# (role label, username, password, role, region code, institution)
DEMO_LOGINS = [
    ("ministry admin", "admin", "kotacerdas-demo", "ministry", None, "Kementerian Komunikasi dan Digital"),
    ("assessor", "assessor", "kotacerdas-demo", "assessor", None, "Universitas Indonesia (demo)"),
    ("mentor", "mentor", "kotacerdas-demo", "mentor", None, "Institut Teknologi Bandung (demo)"),
    ("operator 63.03", "operator-banjar", "kotacerdas-demo", "operator", "63.03", "Diskominfo Kabupaten Banjar (demo)"),
]


def load_demo_accounts():
    """Create (or reset) the demo's login for each role."""
    for label, username, password, role, region_code, institution in DEMO_LOGINS:
        region = Region.objects.get(code=region_code) if region_code else None
        ensure_account(username, password, role, first_name=label.capitalize(), last_name="(demo)", region=region, institution=institution)
