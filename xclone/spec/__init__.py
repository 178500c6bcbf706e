"""The cluster spec: YAML files with marks, the pydantic model, defaults, ranges and checks.

`load_spec(path)` is the one entry point: the CLI calls it, and the planner reads the `Spec` it
returns (every LPAR resolved). `schema` publishes the user-facing shape as JSON Schema.
"""

from xclone.spec.load import load_spec
from xclone.spec.model import Spec

__all__ = ["Spec", "load_spec"]
