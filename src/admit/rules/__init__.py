"""Rule data: the file format's schema, the loader, the linter and the compiler.

Why a package: rule files are admit's knowledge of the world (docs/rules.md). This layer turns
them into lookup tables once (`load_rules`) and reports every mistake in them with its file and
line (`lint`); the engine only ever sees the compiled `Rules`.
"""

from admit.rules.loading import default_data_dir, load_rules
from admit.rules.tables import Destination, Rules

__all__ = ["Destination", "Rules", "default_data_dir", "load_rules"]
