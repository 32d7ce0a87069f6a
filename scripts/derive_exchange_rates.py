"""Derive ``data/exchange_rates.toml`` from the European Central Bank's reference rates.

Usage: python scripts/derive_exchange_rates.py ECB_FILE [--out FILE]

ECB_FILE is the ECB's history of euro foreign exchange reference rates, as published at
https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip (the zip or the CSV inside it).
The ledger's prices are US-dollar list prices; a scenario in another currency converts them at
the rate of the latest day in the file, for every currency the ECB quoted that day. Rates
are published by the ECB for information; reuse is permitted with the source named, which the
written file does.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
SOURCE = ("European Central Bank, euro foreign exchange reference rates "
          "(https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
          "euro_reference_exchange_rates/html/index.en.html)")


def read_history(path: Path) -> pd.DataFrame:
    """The ECB's history table: one row per day, one column of units per euro per currency."""
    raw = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(raw)):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = archive.read(archive.namelist()[0])
    table = pd.read_csv(io.BytesIO(raw), na_values=["N/A"])
    table = table.loc[:, ~table.columns.str.startswith("Unnamed")]
    return table.assign(Date=pd.to_datetime(table.Date)).sort_values("Date")


def latest_per_usd(history: pd.DataFrame) -> tuple[str, dict[str, float]]:
    """The latest day's date and, per currency quoted that day, its units per US dollar."""
    day = history.iloc[-1]
    per_eur = {code: float(rate) for code, rate in day.drop("Date").items() if pd.notna(rate)}
    per_eur["EUR"] = 1.0
    usd = per_eur["USD"]
    return day.Date.strftime("%Y-%m-%d"), {code: round(rate / usd, 6)
                                           for code, rate in sorted(per_eur.items())}


def render(date: str, rates: dict[str, float]) -> str:
    lines = [
        "# Units of each currency per US dollar, for converting the ledger's US-dollar prices.",
        "# Written by scripts/derive_exchange_rates.py from the ECB's euro reference rates",
        "# (cross rates through the euro); do not edit by hand, run the script on a newer file.",
        "",
        f'date = "{date}"',
        f'source = "{SOURCE}"',
        "",
        "[per_usd]",
        *(f"{code} = {rate}" for code, rate in rates.items()),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ecb_file", type=Path)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "exchange_rates.toml")
    args = parser.parse_args()
    date, rates = latest_per_usd(read_history(args.ecb_file))
    args.out.write_text(render(date, rates), encoding="utf-8")
    print(f"{len(rates)} currencies at the rates of {date} -> {args.out}")


if __name__ == "__main__":
    main()
