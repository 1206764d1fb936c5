"""`make bench`: run every bench/bench_*.py module's main() and record figures.

Each module's main() returns a dict of figures; they are printed and written
to bench/results/<module>.json so the README and notes can quote them.
Run one with `python -m bench profile` (module name without the bench_ prefix).
"""

import importlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    failed = False
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"=== bench {name} ===", flush=True)
        started = time.perf_counter()
        try:
            figures = module.main()
        except AssertionError as exc:  # a target missed
            failed = True
            figures = {"error": str(exc)}
        figures["wall_seconds"] = round(time.perf_counter() - started, 1)
        (HERE / "results").mkdir(exist_ok=True)
        # A module may name its results file (RESULTS_NAME), e.g. "privacy-sar".
        result_name = getattr(module, "RESULTS_NAME", name)
        (HERE / "results" / f"{result_name}.json").write_text(
            json.dumps(figures, indent=2, default=str) + "\n"
        )
        for key, value in figures.items():
            print(f"  {key}: {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
