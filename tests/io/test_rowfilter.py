"""civcomp.io.rowfilter: `column op literal`, nothing evaluated; civcomp efa --where uses it."""

from __future__ import annotations

import pandas as pd
import pytest

from civcomp.commands import efa as efa_cmd
from civcomp.io.rowfilter import WhereError, parse

FRAME = pd.DataFrame({"level": ["central", "regional", None, "regional"], "age": [25, 31, 40, None]})


@pytest.mark.parametrize(
    "text, rows",
    [
        ("level == regional", [1, 3]),
        ("level != regional", [0]),
        ("level in [central, 'regional']", [0, 1, 3]),
        ("age >= 31", [1, 2]),
        ("age < 31", [0]),
        ("age == 40", [2]),
        ('level == "central"', [0]),
    ],
)
def test_conditions(text, rows):
    assert list(FRAME.index[parse(text).mask(FRAME).to_numpy(dtype=bool)]) == rows


@pytest.mark.parametrize(
    "text",
    [
        "level == regional and age > 3",
        "__import__('os').system('true')",
        "level.__class__ == x",
        "level == regional; rm",
        "level ~= regional",
        "age > (1)",
        "level in regional",
        "",
    ],
)
def test_anything_else_is_refused_in_one_line(text):
    try:
        w = parse(text)
    except WhereError as exc:
        assert "\n" not in str(exc) and "row filter" in str(exc)
        return
    with pytest.raises(WhereError):  # parsed as a column name: it does not exist, nothing runs
        w.mask(FRAME)


def test_order_needs_numbers():
    with pytest.raises(WhereError, match="compares numbers"):
        parse("level > regional").mask(FRAME)


def test_efa_where(tmp_path, capsys):
    import numpy as np

    rng = np.random.default_rng(0)
    f = rng.normal(size=400)
    df = pd.DataFrame({f"x{i}": np.rint(5 + f + rng.normal(size=400)) for i in range(5)})
    df["level"] = np.where(np.arange(400) % 4 == 0, "central", "regional")
    path = tmp_path / "d.csv"
    df.to_csv(path, index=False)
    assert efa_cmd.cli([str(path), "--where", "level == regional", "--parallel-iterations", "5", "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["where"] == {"filter": "level == regional", "rows_read": 400, "rows_kept": 300}
    with pytest.raises(SystemExit) as exc:
        efa_cmd.cli([str(path), "--where", "open('x').read() == 1"])
    assert exc.value.code == 2 and "row filter" in capsys.readouterr().err
    assert efa_cmd.cli([str(path), "--where", "level == nowhere"]) == 1
    assert "no row has level == nowhere" in capsys.readouterr().err
