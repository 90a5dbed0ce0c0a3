"""The screening stage's work, by what it does: :mod:`.data` (the values a run reads),
:mod:`.runs` (eligibility, ranking runs, what-if, comparison), :mod:`.explanation` (why a rank)
and :mod:`.invitation` (confirming a run and inviting its shortlist)."""
