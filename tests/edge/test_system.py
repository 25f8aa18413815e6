"""What the agent asks of the operating system: clock state, its own code hash, no core dumps."""

from __future__ import annotations

import resource
import subprocess
import sys

from freiweg.edge import system


def test_the_agent_can_tell_whether_the_clock_is_synchronised_and_hash_its_code() -> None:
    assert isinstance(system.clock_synchronised(), bool)
    assert len(system.code_sha256()) == 64 and system.code_sha256() == system.code_sha256()


def test_a_process_that_forbids_core_dumps_has_no_core_limit_left() -> None:
    script = (
        "import resource\nfrom freiweg.edge import system\nsystem.forbid_core_dumps()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "(0, 0)"
    assert resource.getrlimit(resource.RLIMIT_CORE) is not None
