"""The worked examples the Swiss State Secretariat for Migration (SEM) publishes for the EU
Commission's short-stay calculator, reproduced with their dates and their published answers.

Example 3 is left out: the stored page's stamp dates are misprinted (an exit before its entry,
15.08.2014-04.11.2013) and cannot be read back unambiguously.
"""

from __future__ import annotations

from datetime import date, timedelta

from admit.stay import Stay, StayRule, control, plan

SCHENGEN = StayRule(window_days=180, max_days=90)


def stays(*pairs: tuple[str, str]) -> list[Stay]:
    return [Stay(date.fromisoformat(a), date.fromisoformat(b)) for a, b in pairs]


def test_example_1_a_return_after_three_months_away_allows_the_full_90_days() -> None:
    # https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-1.html
    # "Beispiel 1 – Legaler Aufenthalt": entered 15.08.2014, checked on leaving 30.09.2014
    # (47 days); re-entering on 01.01.2015 the person may stay up to 90 days.
    history = stays(("2014-08-15", "2014-09-30"))
    assert control(SCHENGEN, history, date(2014, 9, 30)).days_used == 47
    result = plan(SCHENGEN, history, date(2015, 1, 1))
    assert result.days_used == 47
    assert result.days_remaining == 90
    assert result.latest_exit == date(2015, 3, 31)
    assert result.overstay is False


def test_example_2_two_stays_are_legal_and_the_stay_could_have_gone_on_to_13_december() -> None:
    # https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-2.html
    # "Beispiel 2 – Legaler Aufenthalt": stays 15.08.2014-30.09.2014 and 01.11.2014-30.11.2014,
    # checked on leaving 30.11.2014: legal; a stay would have been possible until 13.12.2014.
    history = stays(("2014-08-15", "2014-09-30"), ("2014-11-01", "2014-11-30"))
    result = control(SCHENGEN, history, date(2014, 11, 30))
    assert result.overstay is False
    assert result.days_used == 77
    assert result.days_remaining == 13
    assert result.latest_exit == date(2014, 12, 13)


def test_example_4_a_stay_outside_the_reference_period_is_not_counted() -> None:
    # https://www.fedpol.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-4.html
    # "Beispiel 4 – Mehrere Einreisen mit einem Visum 'Multiple Entries', 90 Tage": stamps
    # 01.06.2013-13.07.2013, 15.08.2013-30.09.2013, 01.01.2014-30.01.2014, checked on leaving
    # 30.01.2014: the June/July stay falls outside the 180 days; the person could have stayed
    # until 31.03.2014 (days leaving the window make room as the stay goes on).
    history = stays(
        ("2013-06-01", "2013-07-13"), ("2013-08-15", "2013-09-30"), ("2014-01-01", "2014-01-30")
    )
    result = control(SCHENGEN, history, date(2014, 1, 30))
    assert result.overstay is False
    assert result.days_used == 47 + 30
    assert result.window_start == date(2013, 8, 4)
    assert result.latest_exit == date(2014, 3, 31)


def test_example_5_short_overstay_then_a_return_for_50_days() -> None:
    # https://www.fedpol.admin.ch/sem/en/home/themen/einreise/aufenthaltsrechner/bsp-5.html
    # "Example 5 – Shorter overstay": stamps 01.09.2013-30.09.2013, 21.02.2014-20.04.2014,
    # 01.05.2014-09.06.2014; leaving on 09.06.2014 the person has overstayed by 9 days. Returning
    # on 30.08.2014 he "would be able to remain for a period of up to 50 days".
    history = stays(
        ("2013-09-01", "2013-09-30"), ("2014-02-21", "2014-04-20"), ("2014-05-01", "2014-06-09")
    )
    checked = control(SCHENGEN, history, date(2014, 6, 9))
    assert checked.overstay is True
    assert checked.days_used - SCHENGEN.max_days == 9
    assert checked.latest_exit is None
    assert checked.days_remaining == 0
    back = plan(SCHENGEN, history, date(2014, 8, 30))
    assert back.days_remaining == 50
    assert back.latest_exit == date(2014, 10, 18)
    assert back.overstay is False


def test_example_6_long_overstay_of_74_days() -> None:
    # https://www.sem.admin.ch/sem/en/home/themen/einreise/aufenthaltsrechner/bsp-6.html
    # "Example 6 – Longer overstay": stamps 28.06.2013-09.08.2013 and an entry on 19.09.2013,
    # checked on leaving 01.03.2014: an overstay of 74 days in the reference period
    # 03.09.2013-01.03.2014 (the first stay lies outside it).
    history = stays(("2013-06-28", "2013-08-09"), ("2013-09-19", "2014-03-01"))
    result = control(SCHENGEN, history, date(2014, 3, 1))
    assert result.window_start == date(2013, 9, 3)
    assert result.window_end == date(2014, 3, 1)
    assert result.overstay is True
    assert result.days_used - SCHENGEN.max_days == 74
    assert result.latest_exit is None


def test_an_uninterrupted_absence_of_90_days_allows_a_new_stay_of_90_days() -> None:
    # European Commission, "User manual for the short-stay Schengen calculator", section 1
    # (transcribed at https://wixlib.com/document/b80_user-manual-for-the-short-stay-schengen-calculator-1.html):
    # "an absence for an uninterrupted period of 90 days allows for a new stay for up to 90 days".
    history = stays(("2025-01-01", "2025-03-31"))
    back = plan(SCHENGEN, history, date(2025, 3, 31) + timedelta(days=91))
    assert back.days_remaining == 90
    one_day_early = plan(SCHENGEN, history, date(2025, 6, 29))
    assert one_day_early.overstay is True
