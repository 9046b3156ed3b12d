#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Checks that each module includes only its own headers and those of its declared dependencies
(transitively), as recorded by CMake in dcmkit_module_graph.txt. Also checks that apps and tests
do not include a module's private src/ headers (tests may, for their own module)."""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]dcmkit/([a-z0-9_]+)/', re.M)


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    graph_file = pathlib.Path(sys.argv[2])
    direct = {}
    for line in graph_file.read_text().splitlines():
        if not line.strip():
            continue
        name, _, deps = line.partition(':')
        direct[name.strip()] = deps.split()

    def closure(module, seen=None):
        seen = set() if seen is None else seen
        for dep in direct.get(module, []):
            if dep not in seen:
                seen.add(dep)
                closure(dep, seen)
        return seen

    problems = []
    for module in direct:
        allowed = closure(module) | {module}
        for path in sorted((root / module).rglob('*')):
            if path.suffix not in ('.h', '.cc'):
                continue
            for used in INCLUDE.findall(path.read_text(errors='replace')):
                if used not in allowed:
                    problems.append(f'{path.relative_to(root)}: includes dcmkit/{used}/, '
                                    f'but {module} depends only on {sorted(allowed - {module})}')
    for path in sorted(root.glob('apps/**/*')):
        if path.suffix in ('.h', '.cc') and re.search(r'#\s*include\s*"[^"]*/src/',
                                                       path.read_text(errors='replace')):
            problems.append(f'{path.relative_to(root)}: apps use public headers only')
    for problem in problems:
        print(problem)
    print(f'checked {len(direct)} modules: {"FAILED" if problems else "ok"}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
