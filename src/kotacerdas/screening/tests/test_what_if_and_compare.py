"""What-if (nothing saved) and the comparison of two runs."""

from kotacerdas.screening.models import ScreeningRun

from .helpers import make_run


def test_what_if_shows_who_moves_without_saving(admin_client, phase):
    run = make_run(phase)
    response = admin_client.get(f"/phases/2027/screening/{run.pk}/what-if/?w_ipm=5")
    page = response.content.decode()
    assert response.status_code == 200 and "Would move in" in page
    assert page.count("<li>") > 2
    assert ScreeningRun.objects.count() == 1
    partial = admin_client.get(f"/phases/2027/screening/{run.pk}/what-if/?w_ipm=5", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "what-if-changes" in partial


def test_the_same_weights_move_nobody(admin_client, phase):
    run = make_run(phase)
    page = admin_client.get(f"/phases/2027/screening/{run.pk}/what-if/").content.decode()
    assert page.count("<li>–</li>") == 2


def test_comparing_two_runs_says_who_moved_and_why(client, admin_client, phase):
    first = make_run(phase, confirm=True)
    second = make_run(phase, weights=[0, 0, 0, 1, 0])
    page = admin_client.get(f"/phases/2027/screening/compare/?first={first.pk}&second={second.pk}").content.decode()
    assert "rank" in page and "→" in page
    # The public cannot compare with a draft: it is not in their scope.
    from django.test import Client

    public = Client().get(f"/phases/2027/screening/compare/?first={first.pk}&second={second.pk}").content.decode()
    assert "→" not in public
