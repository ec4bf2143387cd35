"""check() as a library call: it leaves the interpreter as it found it."""

from __future__ import annotations

import gc

from helpers import run

RULE = """
- id: heard
  title: 年内至少听取一次政务公开工作汇报
  cite: {clause: 六、（一）, quote: 年内至少听取一次政务公开工作汇报}
  applies_to: {all: true}
  kind: count
  every: year
  at_least: 1
  match: {type: report_heard}
"""


def test_the_garbage_collector_is_restored_after_the_stream(tmp_path):
    assert gc.isenabled()
    run(tmp_path, RULE, [{"unit": "fin", "type": "report_heard", "occurred_at": "2017-03-01"}], as_of="2017-12-31")
    assert gc.isenabled()
    gc.disable()
    try:
        run(tmp_path, RULE, [], as_of="2017-12-31")
        assert not gc.isenabled()
    finally:
        gc.enable()
