"""``GET /api/v1/me/workspace``: the figures of the caller's start page (what is theirs to do)."""

from ninja import Router

from kotacerdas.accounts.permissions import ApiPermission

from . import workspace as work

router = Router(tags=["workspace"])


@router.get("/workspace", auth=ApiPermission("view_workspace"), summary="The caller's start page, as counts")
def my_workspace(request):
    """Per role held: the ministry's phases with each stage's state, counts and next stage; an
    operator's open questionnaires, returned submissions, Bimtek outputs due (and overdue) and master
    plan tasks per region (kind: start, draft, returned, progress); an assessor's candidates still to
    score; a mentor's regions."""
    return work.counts(work.workspace(request.auth))
