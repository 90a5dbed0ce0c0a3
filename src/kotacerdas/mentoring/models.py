"""Mentoring of a phase's selected regions and the regions' own smart city institutions.

A cohort is the regions selected in one phase (program.Participation, status selected); it is not
stored again here, so a region withdrawn or added by the selection is in or out of the cohort at
once. Mentors are assigned per region (:class:`MentorAssignment`); an assignment that ends (a swap
or a replacement) is kept with its reason, and the mentor's role grant for the region stays in
accounts, which is what the assessment panel's "mentored this region" conflict reads.

The technical guidance sessions are called :class:`Bimtek` (the program's own word): "round" is
the program's word for a selection phase or an evaluation round. Every model keeps its history
(who, when, before, after) with django-simple-history.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A region hands in a Bimtek's outputs by its due date: by default 14 days after the Bimtek ends.
DEFAULT_DUE_DAYS = 14
BIMTEK_PER_COHORT = 4


class Cohort(models.Model):
    """The mentoring of one phase: its settings; the regions are the phase's selected ones."""

    phase = models.OneToOneField("program.Phase", verbose_name=_("phase"), related_name="cohort", on_delete=models.PROTECT)
    mentors_per_region = models.PositiveSmallIntegerField(_("mentors per region"), default=2)
    due_days = models.PositiveSmallIntegerField(
        _("days after a Bimtek ends until its outputs are due"), default=DEFAULT_DUE_DAYS
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-phase__year"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return str(self.phase)


class MentorInstitution(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    # Invented by `kotacerdas demo`; shown as such wherever it appears.
    is_demo = models.BooleanField(_("demo institution"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mentor institution")
        verbose_name_plural = _("mentor institutions")

    def __str__(self):
        return self.short_name or self.name


class Mentor(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="mentor", on_delete=models.PROTECT)
    institution = models.ForeignKey(
        MentorInstitution, verbose_name=_("institution"), related_name="mentors", on_delete=models.PROTECT
    )
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    home_province = models.ForeignKey(
        "regions.Region", verbose_name=_("home province"), related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    home_region = models.ForeignKey(
        "regions.Region", verbose_name=_("home region"), related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    max_load = models.PositiveSmallIntegerField(_("most regions at once"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class DeclaredMentorConflict(models.Model):
    mentor = models.ForeignKey(Mentor, verbose_name=_("mentor"), related_name="declared_conflicts", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared conflict of a mentor")
        verbose_name_plural = _("declared conflicts of mentors")
        constraints = [models.UniqueConstraint(fields=["mentor", "region"], name="one_declared_mentor_conflict")]

    def __str__(self):
        return f"{self.mentor} – {self.region}"


class MentorAssignment(models.Model):
    """A mentor for a region of a cohort. Ended (not deleted) when the mentor is swapped or
    replaced, with the reason; the mentor then keeps reading their own past notes."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), related_name="assignments", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    mentor = models.ForeignKey(Mentor, verbose_name=_("mentor"), related_name="assignments", on_delete=models.PROTECT)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=255, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__code", "mentor__user__username"]
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "region", "mentor"], condition=models.Q(ended_at__isnull=True),
                name="one_active_mentor_assignment",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.region}"

    @property
    def is_active(self):
        return self.ended_at is None


class TrainingOfTrainers(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), related_name="trainings", on_delete=models.CASCADE)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.ManyToManyField(Mentor, verbose_name=_("mentors who attended"), related_name="trainings", blank=True)

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["held_on"]
        verbose_name = _("training of trainers")
        verbose_name_plural = _("trainings of trainers")

    def __str__(self):
        return f"{self.cohort} – {self.held_on}"


class Bimtek(models.Model):
    """One of the four technical guidance sessions (bimbingan teknis) of a cohort."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), related_name="bimteks", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Empty: DEFAULT (cohort.due_days) days after the end.
    due_on = models.DateField(_("outputs due on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    # Empty: every region of the cohort and every mentor assigned to them take part.
    regions = models.ManyToManyField("regions.Region", verbose_name=_("regions"), related_name="+", blank=True)
    mentors = models.ManyToManyField(Mentor, verbose_name=_("mentors"), related_name="bimteks", blank=True)

    history = HistoricalRecords(m2m_fields=[regions, mentors])

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("Bimtek")
        verbose_name_plural = _("Bimtek")
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="one_bimtek_per_number")]

    def __str__(self):
        return self.title

    @property
    def is_scheduled(self):
        return self.starts_on is not None and self.ends_on is not None

    @property
    def due_date(self):
        if self.due_on:
            return self.due_on
        if self.ends_on:
            return self.ends_on + datetime.timedelta(days=self.cohort.due_days)
        return None


class RequiredOutput(models.Model):
    """A document every region of a Bimtek hands in."""

    bimtek = models.ForeignKey(Bimtek, verbose_name=_("Bimtek"), related_name="outputs", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bimtek", "order", "pk"]
        verbose_name = _("required output")
        verbose_name_plural = _("required outputs")

    def __str__(self):
        return self.name


def _output_path(instance, filename):
    output = instance.output
    return (
        f"mentoring/{output.bimtek.cohort.phase.year}/{instance.region.code}/bimtek-{output.bimtek.number}/"
        f"output-{output.pk}-v{instance.version}-{filename}"
    )


class OutputUpload(models.Model):
    """One version of a region's output. A new upload is a new version; nothing is overwritten
    (the file goes through Django's storage API, which never replaces an existing name)."""

    output = models.ForeignKey(RequiredOutput, verbose_name=_("output"), related_name="uploads", on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_output_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), related_name="+", on_delete=models.PROTECT, null=True
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["output", "region", "-version"]
        verbose_name = _("uploaded output")
        verbose_name_plural = _("uploaded outputs")
        constraints = [models.UniqueConstraint(fields=["output", "region", "version"], name="one_output_version")]

    def __str__(self):
        return f"{self.output} – {self.region} v{self.version}"


class Attendance(models.Model):
    bimtek = models.ForeignKey(Bimtek, verbose_name=_("Bimtek"), related_name="attendance", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=160)
    body = models.CharField(_("agency or body"), max_length=200)
    position = models.CharField(_("position"), max_length=160, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), related_name="+", on_delete=models.PROTECT, null=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["bimtek", "region__code", "name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.name} ({self.body})"


class MentorNote(models.Model):
    """What a mentor did with a region in a Bimtek, what is due and the risks: visible to the
    region, its mentors and the ministry only (mentoring.scoping)."""

    bimtek = models.ForeignKey(Bimtek, verbose_name=_("Bimtek"), related_name="notes", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), related_name="+", on_delete=models.PROTECT)
    done = models.TextField(_("what was done"))
    due = models.TextField(_("what is due"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mentor note")
        verbose_name_plural = _("mentor notes")

    def __str__(self):
        return f"{self.region} – {self.bimtek}"


class BehindScheduleAlert(models.Model):
    """A region's outputs of a Bimtek overdue, notified once to its mentors and the ministry."""

    bimtek = models.ForeignKey(Bimtek, related_name="+", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", related_name="+", on_delete=models.CASCADE)
    notified_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("behind-schedule alert")
        verbose_name_plural = _("behind-schedule alerts")
        constraints = [models.UniqueConstraint(fields=["bimtek", "region"], name="one_alert_per_bimtek_region")]


# --- the region's own institutions (kept by its operator) --------------------------------------


class CouncilPosition(models.TextChoices):
    PEMBINA = "pembina", _("Pembina (patron)")
    PENGARAH = "pengarah", _("Pengarah (steering)")
    ANGGOTA = "anggota", _("Anggota (member)")


class TeamRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class Sector(models.TextChoices):
    AGENCY = "agency", _("Regional agency")
    ACADEMIA = "academia", _("Academia")
    BUSINESS = "business", _("Business")
    COMMUNITY = "community", _("Community")


def _decree_path(instance, filename):
    return f"institutions/{instance.region.code}/{instance._meta.model_name}-{filename}"


class _Decreed(models.Model):
    """A body set up by a decree (SK) of the head of region: its number, date and the file."""

    decree_number = models.CharField(_("decree number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_file = models.FileField(_("decree"), upload_to=_decree_path, blank=True, max_length=300)

    class Meta:
        abstract = True


class Council(_Decreed):
    """The region's Dewan Smart City, set up by a decree of the head of region."""

    region = models.OneToOneField("regions.Region", verbose_name=_("region"), related_name="smart_city_council", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Dewan Smart City")
        verbose_name_plural = _("Dewan Smart City")

    def __str__(self):
        return f"Dewan Smart City {self.region}"


class ImplementationTeam(_Decreed):
    """The region's Tim Pelaksana."""

    region = models.OneToOneField("regions.Region", verbose_name=_("region"), related_name="implementation_team", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Tim Pelaksana")
        verbose_name_plural = _("Tim Pelaksana")

    def __str__(self):
        return f"Tim Pelaksana {self.region}"


class _Member(models.Model):
    name = models.CharField(_("name"), max_length=160)
    agency = models.ForeignKey(
        "regions.Agency", verbose_name=_("agency"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    office = models.CharField(_("office or organisation"), max_length=200, blank=True)
    # Contact details: personal data (UU PDP 27/2022), never on a public page or the public API.
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class CouncilMember(_Member):
    council = models.ForeignKey(Council, verbose_name=_("council"), related_name="members", on_delete=models.CASCADE)
    position = models.CharField(_("position"), max_length=12, choices=CouncilPosition.choices)

    history = HistoricalRecords()

    class Meta(_Member.Meta):
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self):
        return f"{self.name} ({self.get_position_display()})"


class TeamMember(_Member):
    team = models.ForeignKey(ImplementationTeam, verbose_name=_("team"), related_name="members", on_delete=models.CASCADE)
    role = models.CharField(_("role in the team"), max_length=12, choices=TeamRole.choices, default=TeamRole.MEMBER)
    sector = models.CharField(_("from"), max_length=12, choices=Sector.choices, default=Sector.AGENCY)

    history = HistoricalRecords()

    class Meta(_Member.Meta):
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Secretariat(models.Model):
    region = models.OneToOneField("regions.Region", verbose_name=_("region"), related_name="smart_city_secretariat", on_delete=models.PROTECT)
    agency = models.ForeignKey(
        "regions.Agency", verbose_name=_("hosted by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    head = models.CharField(_("head"), max_length=160, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Contact details are not public.
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("secretariat")
        verbose_name_plural = _("secretariats")

    def __str__(self):
        return f"{self.region}"


def _minutes_path(instance, filename):
    return f"institutions/{instance.region.code}/forum-{instance.starts_at:%Y%m%d}-{filename}"


class ForumMeeting(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to=_minutes_path, blank=True, max_length=300)
    decisions = models.TextField(_("decisions"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")

    def __str__(self):
        return self.title
