"""Demo data: a realistic East Kalimantan complaint landscape, played through the real services.

`manage.py demo_data` is the entry point; `build_demo` does the work.
"""

from lapor.reports.demo.builder import DemoResult, build_demo, demo_exists
from lapor.reports.demo.catalog import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "DemoResult", "build_demo", "demo_exists"]
