"""Notification duties from Python: the gym's plan lists them with their
deadlines, a late one is a gap and is priced, and the CLI's JSON holds the
same table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import continuity as ct

GYM_ATTACK = "ransomware on the office network"


def test_the_gyms_preliminary_report_is_late(examples: Path) -> None:
    m = ct.load_model(examples / "gym.json")
    plan = m.plan_recovery(GYM_ATTACK)
    n = plan.notifications.set_index("notification")
    # Detected after 1 h: the preliminary report is due 5 days later, the
    # final one (a cyber attack) 60 days later; the members have no fixed
    # deadline. The plan reports after 7 and 40 days.
    assert n.loc["appi_preliminary", "due_h"] == pytest.approx(1 + 5 * 24)
    assert n.loc["appi_preliminary", "at_h"] == pytest.approx(7 * 24)
    assert bool(n.loc["appi_preliminary", "late"])
    assert n.loc["appi_final_malicious", "due_h"] == pytest.approx(1 + 60 * 24)
    assert not bool(n.loc["appi_final_malicious", "late"])
    assert math.isinf(n.loc["members", "due_h"]) and not bool(n.loc["members", "late"])
    assert "個人情報保護委員会" in n.loc["appi_preliminary", "to"]
    assert list(plan.notifications["at_h"]) == sorted(plan.notifications["at_h"])
    late = plan.gaps[plan.gaps["kind"] == "notification_late"]
    assert len(late) == 1
    assert late["objective_h"].iloc[0] == pytest.approx(121)
    assert late["achieved_h"].iloc[0] == pytest.approx(168)
    assert "'appi_preliminary'" in late["message"].iloc[0]
    cost = m.incident_cost(GYM_ATTACK)
    assert cost.by_line["notifications"] == pytest.approx(200_000)
    assert cost.by_line["late notifications"] == pytest.approx(0.2 * 500_000)
    assert cost.by_category["legal"] == pytest.approx(100_000)


def test_the_hospital_notifies_on_time(examples: Path) -> None:
    m = ct.load_model(examples / "hospital.json")
    plan = m.plan_recovery("ransomware through the VPN")
    assert len(plan.notifications) == 5
    assert not plan.notifications["late"].any()
    assert (plan.gaps["kind"] != "notification_late").all()
    assert "late notifications" in m.incident_cost("ransomware through the VPN").by_line


def test_the_cli_lists_the_notifications(examples: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from continuity.cli import main

    assert main([str(examples / "gym.json"), "-d", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["scenarios"][GYM_ATTACK]["notifications"]
    plan = ct.load_model(examples / "gym.json").plan_recovery(GYM_ATTACK)
    assert [r["notification"] for r in rows] == list(plan.notifications["notification"])
    assert [r["late"] for r in rows] == [bool(x) for x in plan.notifications["late"]]
    assert main([str(examples / "gym.json"), "-d"]) == 0
    out = capsys.readouterr().out
    assert "Notifications (deadline from detection):" in out
    assert "appi_preliminary to 個人情報保護委員会" in out and "LATE" in out


def test_a_bad_notification_names_its_field() -> None:
    spec = {"name": "x", "systems": [{"name": "s"}],
            "functions": [{"name": "f", "needs": ["s"]}],
            "scenarios": [{"name": "leak", "kind": "data_breach", "damage": [{"systems": ["s"]}],
                           "notifications": [{"preset": "appi_final", "at": "1d",
                                              "penalty_probability": 1.5}]}]}
    with pytest.raises(ct.ValidationError, match=r"notifications\[0\] \('appi_final'\)"):
        ct.Model.from_dict(spec)
