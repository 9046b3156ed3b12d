#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmicmp against DCMTK's on pairs of corpus images and a matrix of options: the exit
status, the printed metrics (stdout, to all printed digits) and the limit messages must be the
same; with +sd the difference images must have the same attributes (DCMTK's dcmdump of both,
without meta information, new UIDs, dates and times) and pixel data. DCMTK is the oracle
(Debian package dcmtk), never linked.

The pairs are made with DCMTK's tools from each corpus image R that DCMTK can read (compressed
ones are first decompressed by DCMTK's dcmdjpeg, dcmdjpls or dcmdrle, as DCMTK's dcmicmp decodes
nothing): (R, R), (R, lossy R) and (lossy R, R), where lossy R went through DCMTK's dcmcjpeg +eb
(or +ee) and dcmdjpeg, or through dcmscale +Sxf 0.5 and +Sxv back; (R, half-size R) for the
resolution mismatch. A difference is a failure unless known_differences.tsv lists it (file,
options, reason; options "any" for every option set).

Usage: compare_dcmicmp.py <our dcmicmp> <corpus dir> <known differences tsv> <work dir> [names]
Exit status 77 (skipped) when DCMTK's dcmicmp or the corpus is missing."""
import concurrent.futures
import pathlib
import re
import shutil
import subprocess
import sys

from interop_common import Tally, dcmdump_lines, fresh_dir, load_known, pixel_bytes

OPTION_SETS = [
    [],
    ['-M'],
    ['+Wm'],
    ['+Wn'],
    ['+Wr'],
    ['+Wq'],
    ['+Ww', '40', '400'],
    ['+Ww', '1000', '3000', '+Wfs'],
    ['+Wi', '1'],
    ['+Wl', '1'],
    ['+Wi', '1', '+Wfl'],
    ['+Wm', '+Piv'],
    ['+Wr', '+Pid'],
    ['+Piv'],
    ['+Pod'],
    ['+Pod', '+Wm'],
    ['+Pod', '+Wi', '1'],
    ['+ce', '0'],
    ['+ce', '10', '+cm', '1', '+cr', '1.5'],
    ['+cp', '40', '+cs', '30'],
    ['+cs', '20'],
]
# On (R, lossy R) these sets run for every image, each of the others for every third image
# (rotating) and for the images the known differences list names with it.
FULL_OPTION_SETS = [[], ['-M'], ['+Wm'], ['+Wn'], ['+Wr'], ['+Ww', '40', '400'], ['+Wi', '1'],
                    ['+Wl', '1']]
SAMPLE_STRIDE = 3
# The pairs other than (R, lossy R) run a part of the matrix: comparing an image with itself
# exercises only the zero-error case, swapping the images only which one is the reference, and the
# scaled pair the same computations on other values (the test's time in CI stays bounded).
SAME_OPTION_SETS = [[], ['+ce', '0']]
SWAPPED_OPTION_SETS = [[], ['+Wm'], ['+Wi', '1'], ['+cp', '40', '+cs', '30']]
SCALED_OPTION_SETS = [[], ['-M'], ['+Wm'], ['+Wn'], ['+Ww', '1000', '3000', '+Wfs'], ['+Wl', '1'],
                      ['+Piv'], ['+Pod', '+Wm'], ['+ce', '10', '+cm', '1', '+cr', '1.5']]
# Options for the pairs that cannot be compared (only the exit status and messages matter).
MISMATCH_OPTION_SETS = [[], ['+Wm'], ['+Wi', '2']]
DIFF_OPTION_SETS = [[], ['+a', '5'], ['+Wm'], ['+Wr', '+a', '2.5']]
# Lines of a difference image that differ by design: meta information (DCMTK names itself), new
# UIDs, creation and content dates and times.
IGNORED = re.compile(r'^\((0002,[0-9a-f]{4}|0008,001[2348]|0008,002[3]|0008,0033|0020,000e)\)')


def run(args, timeout=600):
    result = subprocess.run([str(a) for a in args], capture_output=True, timeout=timeout)
    return result.returncode, result.stdout.decode('latin-1'), result.stderr.decode('latin-1')


def fatal_lines(stderr):
    """The F: lines about limits and mismatches (loading errors are worded differently)."""
    return [line for line in stderr.splitlines()
            if line.startswith('F: ') and 'loading' not in line and 'pipeline' not in line]


def make_inputs(corpus_dir, name, work):
    """The reference (decompressed if needed) and its derived images, each None if not made."""
    source = corpus_dir / name
    base = work / re.sub(r'[^A-Za-z0-9]', '_', name)
    base.mkdir(parents=True, exist_ok=True)
    reference = source
    if run(['dcmicmp', source, source])[0] == 22:
        reference = None
        for tool in ('dcmdjpeg', 'dcmdjpls', 'dcmdrle'):
            out = base / 'plain.dcm'
            if run([tool, source, out])[0] == 0 and run(['dcmicmp', out, out])[0] != 22:
                reference = out
                break
    if reference is None:
        return None
    made = {'reference': reference}
    jpeg = base / 'lossy.jpg.dcm'
    lossy = base / 'lossy.dcm'
    for mode in ('+eb', '+ee'):
        if run(['dcmcjpeg', mode, '+q', '75', reference, jpeg])[0] == 0 and \
                run(['dcmdjpeg', jpeg, lossy])[0] == 0 and run(['dcmicmp', reference, lossy])[0] == 0:
            made['lossy'] = lossy
            break
    half = base / 'half.dcm'
    scaled = base / 'scaled.dcm'
    if run(['dcmscale', '+Sxf', '0.5', '-a', reference, half])[0] == 0:
        made['half'] = half
        rc, width, _ = run(['dcmdump', '-q', '+P', '0028,0011', reference])
        columns = re.search(r'US (\d+)', width)
        if columns and run(['dcmscale', '+Sxv', columns.group(1), '-a', half, scaled])[0] == 0 \
                and run(['dcmicmp', reference, scaled])[0] == 0:
            made['scaled'] = scaled
    return made


def main():
    ours, corpus, known_file, work = sys.argv[1:5]
    only = sys.argv[5:]
    theirs = shutil.which('dcmicmp', path='/usr/bin:/usr/local/bin')
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or shutil.which('dcmcjpeg') is None or \
            not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcmicmp or the corpus is not available')
        return 77
    rows = [line.split('\t')
            for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    # Images only, and not the hostile giants (DCMTK would allocate gigabytes).
    files = [row[0] for row in rows if 'PI=' in row[-1] and 'oob-' not in row[0]]
    colour = {row[0] for row in rows if 'PI=' in row[-1] and 'PI=MONOCHROME' not in row[-1]}
    if only:
        files = [f for f in files if any(o in f for o in only)]
    known = load_known(known_file)
    work_dir = fresh_dir(work)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        inputs = dict(zip(files, pool.map(lambda f: make_inputs(corpus_dir, f, work_dir), files)))

    jobs = []
    for position, (name, made) in enumerate(inputs.items()):
        if made is None or (name, '*') in known:
            continue
        ref = made['reference']
        pairs = [('same', ref, ref)]
        for kind in ('lossy', 'scaled'):
            if kind in made:
                pairs += [(kind, ref, made[kind]), (kind + '-swapped', made[kind], ref)]
        for label, a, b in pairs:
            sets = OPTION_SETS if label == 'lossy' else \
                SAME_OPTION_SETS if label == 'same' else \
                SWAPPED_OPTION_SETS if label.endswith('-swapped') else \
                OPTION_SETS if 'lossy' not in made else SCALED_OPTION_SETS
            if sets is OPTION_SETS:
                sets = [o for number, o in enumerate(sets)
                        if o in FULL_OPTION_SETS or (position + number) % SAMPLE_STRIDE == 0 or
                        (name, ' '.join(o)) in known or (name, f'{label} [{" ".join(o)}]') in known]
            if name in colour:
                # Colour images are compared as 8-bit RGB: the VOI and presentation options
                # change nothing there, so one of them is enough.
                sets = [o for o in sets if not any(x[:2] in ('+W', '+P') for x in o)]
                sets += [['+Wm']] if label == 'lossy' else []
            jobs += [(name, label, a, b, o, False) for o in sets]
        if 'half' in made:
            jobs += [(name, 'half', ref, made['half'], o, False) for o in MISMATCH_OPTION_SETS]
        differing = made.get('lossy', made.get('scaled'))
        if differing:
            # A difference image costs four dcmdump runs: the first set for every image, the
            # others for every third one.
            jobs += [(name, 'diff-image', ref, differing, o, True)
                     for number, o in enumerate(DIFF_OPTION_SETS)
                     if number == 0 or (position + number) % SAMPLE_STRIDE == 0 or
                     (name, ' '.join(o)) in known or (name, f'diff-image [{" ".join(o)}]') in known]

    def check(job):
        index, (name, label, a, b, options, save) = job
        base = work_dir / f'job{index}'
        extra_t = ['+sd', base / 'theirs.dcm'] if save else []
        extra_o = ['+sd', base / 'ours.dcm'] if save else []
        if save:
            base.mkdir()
        rc_t, out_t, err_t = run([theirs, *options, *extra_t, a, b])
        rc_o, out_o, err_o = run([ours, *options, *extra_o, a, b])
        what = f'{label} [{" ".join(options)}]'
        if rc_t != rc_o:
            return name, what, 'differs', f'exit {rc_o}, DCMTK {rc_t}: {fatal_lines(err_o)} ' \
                                          f'{fatal_lines(err_t)}'
        if out_t != out_o:
            return name, what, 'differs', f'output {out_o!r} DCMTK {out_t!r}'
        if fatal_lines(err_t) != fatal_lines(err_o):
            return name, what, 'differs', f'messages {fatal_lines(err_o)} DCMTK ' \
                                          f'{fatal_lines(err_t)}'
        if save and rc_t == 0:
            dump_t = dcmdump_lines(base / 'theirs.dcm', IGNORED, strip_comments=True)
            dump_o = dcmdump_lines(base / 'ours.dcm', IGNORED, strip_comments=True)
            if dump_t != dump_o:
                diff = [line[:100] for line in set(dump_t) ^ set(dump_o)][:6]
                return name, what, 'differs', 'difference image: ' + ' | '.join(diff)
            if pixel_bytes(base / 'theirs.dcm', base / 'wt') != \
                    pixel_bytes(base / 'ours.dcm', base / 'wo'):
                return name, what, 'differs', 'difference image pixel data'
            shutil.rmtree(base)
        return name, what, 'same', ''

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(check, enumerate(jobs)))
    tally = Tally(known)
    for name, what, status, detail in results:
        options = what[what.find('[') + 1:-1]
        tally.add(name, what, status, detail,
                  [(name, what), (name, options), (name, 'any'), ('*', options)])
    tally.check_stale(lambda key: key[1] == '*' or bool(only))
    made = sum(1 for m in inputs.values() if m)
    print(f'{made} of {len(files)} images readable by DCMTK, {len(jobs)} comparisons: '
          f'{tally.counts["same"]} same as DCMTK, {tally.counts["known"]} known differences, '
          f'{tally.failures} failures')
    return 1 if tally.failures else 0


if __name__ == '__main__':
    sys.exit(main())
