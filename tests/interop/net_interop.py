#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's network programs against DCMTK's, real peers on loopback with free ports.

Modes (one ctest test each):
  echo          dcmkit echoscu -> DCMTK storescp, DCMTK echoscu -> dcmkit storescp
  store-out     dcmkit storescu -> DCMTK storescp, every corpus file DCMTK itself can store
  store-in      DCMTK storescu -> dcmkit storescp, every corpus file DCMTK itself can store
  negotiation   failures (refused association, unsupported SOP class, unsupported transfer
                syntax) reported as DCMTK reports them, with DCMTK's exit codes
  load          20 concurrent storescu associations x 50 images into one dcmkit storescp
                (half dcmkit's storescu, half DCMTK's): nothing lost or mixed up
  tls           TLS with a test CA made here by the openssl program: echo and storage both
                ways with DCMTK, dcmkit to dcmkit, an untrusted peer refused, and a TLS client
                against a plain server (and the reverse) failing with an error that says so
  access        storescp +ac (TCP wrapper rules) against DCMTK's: allowed and denied hosts.
                The rules are bind-mounted over /etc/hosts.allow and /etc/hosts.deny in a
                private mount namespace (unshare), so the machine's files are never touched;
                skipped where namespaces are not available

A data set is "identical after transfer" when DCMTK's dcmdump shows the same data set for the
original and the received file, ignoring how sequence and item lengths are encoded (DCMTK's
storescp re-encodes them; dcmkit's keeps them as received) and the transfer syntax line.
Files listed in net_known_differences.tsv (next to this script) are compared without their group
length elements (gggg,0000), for the reason given there.
Exit 77 (skipped) without DCMTK or the corpus.

Usage: net_interop.py <mode> <dcmkit apps dir> <corpus dir> <work dir>"""
import concurrent.futures
import os
import pathlib
import re
import shutil
import socket
import struct
import subprocess
import sys
import time

DCMTK = pathlib.Path('/usr/bin')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    """A storescp (either one) on a free port; waits until it accepts connections."""

    def __init__(self, program, args, work):
        self.port = free_port()
        self.log = open(work / f'{pathlib.Path(program).name}-{self.port}.log', 'w')
        self.process = subprocess.Popen([str(program), *args, str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f'{program} exited with {self.process.returncode}')
            with socket.socket() as s:
                if s.connect_ex(('127.0.0.1', self.port)) == 0:
                    return
            time.sleep(0.02)
        raise RuntimeError(f'{program} does not listen on {self.port}')

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run(command, timeout=300):
    return subprocess.run([str(c) for c in command], capture_output=True, timeout=timeout)


DATASET_HEADER = re.compile(r'^# Used TransferSyntax.*$', re.M)
LENGTHS = re.compile(r'#\s*(\d+|u/l),\s*\d+\s')
SEQ = re.compile(r'\((Sequence|Item) with (explicit|undefined) length #=(\d+)\)')
DELIMITERS = re.compile(r'^\s*\(fffe,e0(0d|dd)\).*\n', re.M)


def data_set_dump(path):
    """DCMTK's dump of the data set, with length encoding normalized."""
    result = run([DCMTK / 'dcmdump', '-q', '+L', path], timeout=120)
    text = result.stdout.decode('latin-1')
    text = text[text.find('# Dicom-Data-Set'):]
    text = DATASET_HEADER.sub('', text)
    text = DELIMITERS.sub('', text)
    text = SEQ.sub(r'(\1 #=\3)', text)
    text = LENGTHS.sub('# ', text)
    return result.returncode, text


GROUP_LENGTHS = re.compile(r'^\([0-9a-f]{4},0000\) .*\n', re.M)
KNOWN_DIFFERENCES = pathlib.Path(__file__).with_name('net_known_differences.tsv')


def known_differences():
    """Corpus file names (relative to the corpus) whose group lengths are not compared."""
    names = set()
    for line in KNOWN_DIFFERENCES.read_text().splitlines():
        if line and not line.startswith('#'):
            names.add(line.split('\t')[0])
    return names


def corpus_files(corpus):
    manifest = corpus / 'MANIFEST.tsv'
    names = [line.split('\t')[0] for line in manifest.read_text().splitlines()[1:] if line]
    return [corpus / name for name in names if (corpus / name).is_file()]


def sop_instance_uid(path):
    result = run([DCMTK / 'dcmdump', '-q', '+P', '0008,0018', path])
    match = re.search(r'\[([^\]]*)\]', result.stdout.decode('latin-1'))
    return match.group(1).rstrip('\0 ') if match else None


# --- echo --------------------------------------------------------------------------------------

def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(('::1', 0))
        return True
    except OSError:
        return False


def write_ipv6_image(work):
    path = work / 'ipv6.dcm'
    write_tiny(path, '1.2.840.10008.5.1.4.1.1.7', f'2.25.6{os.getpid()}', b'\1' * 64)
    return path


def mode_echo(apps, corpus, work):
    failures = []
    with Server(DCMTK / 'storescp', [], work) as theirs:
        r = run([apps / 'echoscu', '-v', 'localhost', theirs.port])
        if r.returncode != 0 or b'Received Echo Response (Success)' not in r.stderr:
            failures.append(f'dcmkit echoscu -> DCMTK storescp: {r.returncode} {r.stderr!r}')
        r = run([apps / 'echoscu', '--repeat', '5', '-pts', '38', '-ppc', '128', 'localhost',
                 theirs.port])
        if r.returncode != 0:
            failures.append(f'dcmkit echoscu -pts 38 -ppc 128 -> DCMTK: {r.stderr!r}')
    with Server(apps / 'storescp', ['--ignore'], work) as ours:
        for extra in ([], ['-pts', '38'], ['--repeat', '5'], ['--abort']):
            r = run([DCMTK / 'echoscu', '-v', *extra, 'localhost', ours.port])
            if r.returncode != 0:
                failures.append(f'DCMTK echoscu {extra} -> dcmkit storescp: {r.stderr!r}')
        # IPv6: storescp listens on both stacks (Debian's DCMTK 3.6.7 speaks IPv4 only, so this is
        # dcmkit to dcmkit).
        if socket.has_ipv6 and ipv6_loopback():
            for program, extra in (('echoscu', []), ('storescu', [write_ipv6_image(work)])):
                r = run([apps / program, '::1', ours.port, *extra])
                if r.returncode != 0:
                    failures.append(f'dcmkit {program} -> dcmkit storescp over ::1: {r.stderr!r}')
                else:
                    print(f'dcmkit {program} -> dcmkit storescp over IPv6 (::1): ok')
        else:
            print('no IPv6 loopback here: IPv6 not checked')
    # SIGTERM right after an association stops storescp cleanly (exit 0), every time: the stop
    # request races with the server's own shutdown, which once freed the server under it.
    for attempt in range(10):
        ours = Server(apps / 'storescp', ['--ignore'], work)
        run([DCMTK / 'echoscu', 'localhost', ours.port])
        code = ours.stop()
        if code != 0:
            failures.append(f'dcmkit storescp stopped by SIGTERM (attempt {attempt}): exit {code}')
    return failures


# --- storage -----------------------------------------------------------------------------------

def transfer_option(ts):
    """The DCMTK storescu proposal option that sends a file of syntax `ts` unchanged."""
    return {
        '1.2.840.10008.1.2': ['-xi'],
        '1.2.840.10008.1.2.2': ['-xb'],
        '1.2.840.10008.1.2.4.70': ['-xs'],
        '1.2.840.10008.1.2.4.50': ['-xy'],
        '1.2.840.10008.1.2.4.51': ['-xx'],
        '1.2.840.10008.1.2.4.90': ['-xv'],
        '1.2.840.10008.1.2.4.91': ['-xw'],
        '1.2.840.10008.1.2.4.80': ['-xt'],
        '1.2.840.10008.1.2.4.81': ['-xu'],
        '1.2.840.10008.1.2.5': ['-xr'],
        '1.2.840.10008.1.2.1.99': ['-xd'],
    }.get(ts, [])


def transfer_syntax(path):
    """The file's transfer syntax UID as DCMTK reads it (meta header, else detected)."""
    result = run([DCMTK / 'dcmdump', '-q', '-Un', '+P', '0002,0010', path])
    match = re.search(r'\(0002,0010\) UI \[([^\]]*)\]', result.stdout.decode('latin-1'))
    if match:
        return match.group(1).rstrip('\0 ')
    result = run([DCMTK / 'dcmdump', '-q', '+P', '0008,0018', path])
    return '1.2.840.10008.1.2' if result.returncode == 0 and result.stdout else None


def find_received(directory, uid):
    for path in directory.iterdir():
        if path.is_file() and path.name.endswith(uid):
            return path
    return None


def compare_received(original, received, ignore_group_lengths=False):
    rc_a, a = data_set_dump(original)
    rc_b, b = data_set_dump(received)
    if ignore_group_lengths:
        a, b = GROUP_LENGTHS.sub('', a), GROUP_LENGTHS.sub('', b)
    return a == b


def mode_store(apps, corpus, work, outgoing):
    """outgoing: dcmkit storescu -> DCMTK storescp; else DCMTK storescu -> dcmkit storescp."""
    files = corpus_files(corpus)
    oracle_dir = work / 'oracle'
    subject_dir = work / 'subject'
    for d in (oracle_dir, subject_dir):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    scp_args = ['+xa', '-pm']
    failures = []
    compared = 0
    skipped = []
    known = known_differences()
    with Server(DCMTK / 'storescp', [*scp_args, '-od', oracle_dir], work) as oracle_scp, \
            Server((DCMTK if outgoing else apps) / 'storescp', [*scp_args, '-od', subject_dir],
                   work) as subject_scp:
        for path in files:
            uid = sop_instance_uid(path)
            ts = transfer_syntax(path)
            if not uid or not ts:
                skipped.append(f'{path.name}: not a DICOM file DCMTK can read')
                continue
            proposal = transfer_option(ts)
            # What DCMTK does with this file between two DCMTK peers is the reference: files it
            # cannot send (unknown SOP class, a syntax it would have to decode) are skipped.
            reference = run([DCMTK / 'storescu', '-R', *proposal, 'localhost', oracle_scp.port,
                             path])
            stored = find_received(oracle_dir, uid)
            if reference.returncode != 0 or stored is None:
                skipped.append(f'{path.name}: DCMTK cannot send it to DCMTK')
                continue
            sender = (apps / 'storescu') if outgoing else (DCMTK / 'storescu')
            sent = run([sender, '-R', *proposal, 'localhost', subject_scp.port, path])
            received = find_received(subject_dir, uid)
            if sent.returncode != 0 or received is None:
                failures.append(f'{path.name}: transfer failed ({sent.returncode}): '
                                f'{sent.stderr.decode(errors="replace").strip()}')
                continue
            compared += 1
            lenient = str(path.relative_to(corpus)) in known
            if not compare_received(path, received, lenient) and \
                    not compare_received(stored, received, lenient):
                failures.append(f'{path.name}: received data set differs from the original')
            received.unlink()
            stored.unlink()
    print(f'{compared} files transferred and compared, {len(skipped)} skipped')
    for line in skipped:
        print(f'  skipped {line}')
    if compared == 0:
        failures.append('no file could be compared')
    return failures


# --- negotiation failures ------------------------------------------------------------------------

def error_lines(stderr):
    return [line for line in stderr.decode(errors='replace').splitlines()
            if line.startswith(('E:', 'F:'))]


EXTENDED_PROFILE = r"""[[TransferSyntaxes]]
[Uncompressed]
TransferSyntax1 = LocalEndianExplicit
TransferSyntax2 = LittleEndianImplicit

[[PresentationContexts]]
[Contexts]
PresentationContext1 = SecondaryCaptureImageStorage\Uncompressed

[[ExtendedNegotiation]]
[Extended]
ExtendedNegotiation1 = SecondaryCaptureImageStorage\{info}

[[Profiles]]
[Default]
PresentationContexts = Contexts
ExtendedNegotiation = Extended
"""


def check_extended_negotiation(apps, work, failures):
    """SOP Class Extended Negotiation from -xf profiles, proposed and answered, both ways."""
    scu_config = work / 'extended-scu.cfg'
    scp_config = work / 'extended-scp.cfg'
    scu_config.write_text(EXTENDED_PROFILE.format(info='0102030405'))
    scp_config.write_text(EXTENDED_PROFILE.format(info='0A0B'))
    image = work / 'extended.dcm'
    write_tiny(image, '1.2.840.10008.5.1.4.1.1.7', f'2.25.4242{os.getpid()}', b'\0' * 64)
    asked = '=SecondaryCaptureImageStorage (1.2.840.10008.5.1.4.1.1.7)\nD:     [0x01, 0x02, ' \
            '0x03, 0x04, 0x05]'
    answered = 'Accepted Extended Negotiation:\nD:   =SecondaryCaptureImageStorage ' \
               '(1.2.840.10008.5.1.4.1.1.7)\nD:     [0x0a, 0x0b]'
    with Server(DCMTK / 'storescp', ['-d', '-xf', scp_config, 'Default', '--ignore'],
                work) as theirs:
        sent = run([apps / 'storescu', '-xf', scu_config, 'Default', 'localhost', theirs.port,
                    image])
    log = (work / f'storescp-{theirs.port}.log').read_text()
    if sent.returncode != 0 or 'Requested Extended Negotiation:\nD:   ' + asked not in log:
        failures.append(f'dcmkit storescu -xf: DCMTK storescp did not get the extended '
                        f'negotiation (exit {sent.returncode})')
    else:
        print('dcmkit storescu -xf proposes the profile\'s extended negotiation to DCMTK')
    if answered not in log:
        failures.append('DCMTK storescp -xf did not answer dcmkit\'s extended negotiation')
    with Server(apps / 'storescp', ['-xf', scp_config, 'Default', '--ignore'], work) as ours:
        sent = run([DCMTK / 'storescu', '-d', '-xf', scu_config, 'Default', 'localhost',
                    ours.port, image])
    text = sent.stderr.decode(errors='replace') + sent.stdout.decode(errors='replace')
    if sent.returncode != 0 or answered not in text:
        failures.append(f'dcmkit storescp -xf: DCMTK storescu saw no answer to its extended '
                        f'negotiation (exit {sent.returncode})')
    else:
        print('dcmkit storescp -xf answers DCMTK\'s extended negotiation from its profile')
    bad = work / 'extended-bad.cfg'
    bad.write_text(EXTENDED_PROFILE.format(info='abc'))
    theirs_result = run([DCMTK / 'storescu', '-xf', bad, 'Default', 'localhost', '1', image])
    ours_result = run([apps / 'storescu', '-xf', bad, 'Default', 'localhost', '1', image])
    if theirs_result.returncode != ours_result.returncode:
        failures.append(f'odd hex digits: DCMTK exit {theirs_result.returncode}, dcmkit '
                        f'{ours_result.returncode}')
    else:
        print(f'extended negotiation with odd hex digits refused as DCMTK does '
              f'(exit {ours_result.returncode})')


def mode_negotiation(apps, corpus, work):
    failures = []
    check_extended_negotiation(apps, work, failures)

    def same(label, dcmtk_command, dcmkit_command, lines=None):
        theirs = run(dcmtk_command)
        ours = run(dcmkit_command)
        a = error_lines(theirs.stderr)
        b = error_lines(ours.stderr)
        if lines is not None:
            a, b = a[:lines], b[:lines]
        if theirs.returncode != ours.returncode or a != b:
            failures.append(f'{label}: DCMTK exit {theirs.returncode} {a}, '
                            f'dcmkit exit {ours.returncode} {b}')
        else:
            print(f'{label}: same report as DCMTK (exit {ours.returncode}): {b}')

    # A refusing SCP, DCMTK's and ours, with each echoscu.
    with Server(DCMTK / 'storescp', ['--refuse'], work) as theirs, \
            Server(apps / 'storescp', ['--refuse'], work) as ours:
        same('echoscu -> refusing DCMTK storescp',
             [DCMTK / 'echoscu', 'localhost', theirs.port],
             [apps / 'echoscu', 'localhost', theirs.port])
        same('DCMTK echoscu -> refusing storescp (DCMTK vs dcmkit)',
             [DCMTK / 'echoscu', 'localhost', theirs.port],
             [DCMTK / 'echoscu', 'localhost', ours.port])
    # Nobody listening.
    port = free_port()
    same('echoscu -> closed port', [DCMTK / 'echoscu', 'localhost', port],
         [apps / 'echoscu', 'localhost', port])
    same('storescu -> closed port',
         [DCMTK / 'storescu', 'localhost', port, corpus_files(corpus)[0]],
         [apps / 'storescu', 'localhost', port, corpus_files(corpus)[0]])
    # An SCP that supports only implicit VR little endian, asked for a JPEG file as it is.
    jpeg = next((p for p in corpus_files(corpus)
                 if transfer_syntax(p) == '1.2.840.10008.1.2.4.70'), None)
    with Server(DCMTK / 'storescp', ['+xi'], work) as theirs:
        if jpeg is not None:
            same('storescu -xs JPEG file -> SCP without JPEG',
                 [DCMTK / 'storescu', '-R', '-xs', 'localhost', theirs.port, jpeg],
                 [apps / 'storescu', '-R', '-xs', 'localhost', theirs.port, jpeg])
    # An SCP that does not know the SOP class at all.
    unknown = work / 'unknown-class.dcm'
    write_tiny(unknown, '1.2.3.4.5.6.7.8', '1.2.3.4.5.6.7.8.9', b'x' * 16)
    with Server(DCMTK / 'storescp', [], work) as theirs:
        same('storescu unknown SOP class -> DCMTK storescp (first error line)',
             [DCMTK / 'storescu', 'localhost', theirs.port, unknown],
             [apps / 'storescu', 'localhost', theirs.port, unknown], lines=1)
    # Association profiles (-xf): the same file read by both programs, both directions.
    profile = work / 'profile.cfg'
    profile.write_text(
        '[[TransferSyntaxes]]\n[Uncompressed]\nTransferSyntax1 = LittleEndianExplicit\n'
        'TransferSyntax2 = LittleEndianImplicit\n'
        '[[PresentationContexts]]\n[CTOnly]\n'
        'PresentationContext1 = VerificationSOPClass\\Uncompressed\n'
        'PresentationContext2 = CTImageStorage\\Uncompressed\n'
        '[[Profiles]]\n[CT]\nPresentationContexts = CTOnly\n')
    ct = work / 'profile-ct.dcm'
    mr = work / 'profile-mr.dcm'
    write_tiny(ct, '1.2.840.10008.5.1.4.1.1.2', f'2.25.91{os.getpid()}', b'c' * 64)
    write_tiny(mr, '1.2.840.10008.5.1.4.1.1.4', f'2.25.92{os.getpid()}', b'm' * 64)
    with Server(DCMTK / 'storescp', ['-xf', profile, 'CT', '--ignore'], work) as theirs, \
            Server(apps / 'storescp', ['-xf', profile, 'CT', '--ignore'], work) as ours:
        for path, label in ((ct, 'CT'), (mr, 'MR')):
            theirs_result = run([DCMTK / 'storescu', '-R', 'localhost', theirs.port, path])
            ours_result = run([DCMTK / 'storescu', '-R', 'localhost', ours.port, path])
            if theirs_result.returncode != ours_result.returncode or \
                    error_lines(theirs_result.stderr) != error_lines(ours_result.stderr):
                failures.append(f'-xf storescp, {label} file: DCMTK exit {theirs_result.returncode}'
                                f' {error_lines(theirs_result.stderr)}, dcmkit exit '
                                f'{ours_result.returncode} {error_lines(ours_result.stderr)}')
            else:
                print(f'-xf storescp, {label} file: same as DCMTK (exit {ours_result.returncode})')
            sent = run([apps / 'storescu', '-xf', profile, 'CT', 'localhost', theirs.port, path])
            reference = run([DCMTK / 'storescu', '-xf', profile, 'CT', 'localhost', theirs.port,
                             path])
            if sent.returncode != reference.returncode:
                failures.append(f'storescu -xf, {label} file: DCMTK exit {reference.returncode}, '
                                f'dcmkit exit {sent.returncode}: {sent.stderr!r}')
            else:
                print(f'storescu -xf, {label} file: same exit as DCMTK ({sent.returncode})')
    return failures


# --- load ----------------------------------------------------------------------------------------

def element(group, elem, vr, value):
    if len(value) % 2:
        value += b'\0' if vr == b'UI' else b' '
    if vr in (b'OB', b'OW', b'UN', b'SQ', b'UT'):
        return struct.pack('<HH', group, elem) + vr + b'\0\0' + struct.pack('<I', len(value)) + value
    return struct.pack('<HH', group, elem) + vr + struct.pack('<H', len(value)) + value


def write_tiny(path, sop_class, sop_instance, pixels, patient_id=b'LOAD'):
    meta = (element(2, 1, b'OB', b'\0\1') + element(2, 2, b'UI', sop_class.encode())
            + element(2, 3, b'UI', sop_instance.encode())
            + element(2, 0x10, b'UI', b'1.2.840.10008.1.2.1')
            + element(2, 0x12, b'UI', b'1.2.3.4'))
    meta = struct.pack('<HH', 2, 0) + b'UL' + struct.pack('<HI', 4, len(meta)) + meta
    data = (element(8, 0x16, b'UI', sop_class.encode())
            + element(8, 0x18, b'UI', sop_instance.encode())
            + element(0x10, 0x20, b'LO', patient_id)
            + element(0x7FE0, 0x10, b'OW', pixels))
    path.write_bytes(b'\0' * 128 + b'DICM' + meta + data)
    return data


def data_set_bytes(path):
    raw = path.read_bytes()
    meta_length = struct.unpack_from('<I', raw, 132 + 8)[0]
    return raw[132 + 12 + meta_length:]


def mode_load(apps, corpus, work, clients=20, images=50):
    source = work / 'load-source'
    received = work / 'load-received'
    for d in (source, received):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    expected = {}
    for c in range(clients):
        client_dir = source / f'client{c:02d}'
        client_dir.mkdir()
        for i in range(images):
            uid = f'2.25.{c + 1}{i + 1:04d}{os.getpid()}'
            # 64 KiB of pixel data whose content names the client and image.
            pattern = struct.pack('<HH', c, i) * (64 * 1024 // 4)
            expected[uid] = write_tiny(client_dir / f'{i:03d}.dcm', '1.2.840.10008.5.1.4.1.1.7',
                                       uid, pattern, f'CLIENT{c:02d}'.encode())
    failures = []
    with Server(apps / 'storescp', ['-od', received], work) as scp:
        def send(c):
            sender = (apps if c % 2 == 0 else DCMTK) / 'storescu'
            return c, run([sender, '+sd', 'localhost', scp.port, source / f'client{c:02d}'],
                          timeout=600)
        with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
            for c, result in pool.map(send, range(clients)):
                if result.returncode != 0:
                    failures.append(f'client {c} failed: {result.stderr.decode(errors="replace")}')
    stored = {}
    for path in received.iterdir():
        if path.name.startswith('.'):
            failures.append(f'temporary file left: {path.name}')
            continue
        stored[path.name.split('.', 1)[1]] = data_set_bytes(path)
    if len(stored) != len(expected):
        failures.append(f'{len(stored)} files stored, {len(expected)} sent')
    mismatched = [uid for uid, data in expected.items() if stored.get(uid) != data]
    if mismatched:
        failures.append(f'{len(mismatched)} objects missing or different, e.g. {mismatched[:3]}')
    print(f'{clients} clients x {images} images: {len(stored)} stored, '
          f'{len(expected) - len(mismatched)} identical to what was sent')
    return failures


# --- TLS ---------------------------------------------------------------------------------------

def make_test_ca(directory):
    """A CA and a server and a client certificate signed by it, and a second, untrusted CA."""
    directory.mkdir(parents=True, exist_ok=True)

    def openssl(*args):
        result = run(['openssl', *args])
        if result.returncode != 0:
            raise RuntimeError(f'openssl {args}: {result.stderr.decode(errors="replace")}')

    for ca in ('ca', 'other-ca'):
        openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', directory / f'{ca}.key',
                '-out', directory / f'{ca}.pem', '-days', '2', '-subj', f'/CN=dcmkit test {ca}')
    for name, ca in (('server', 'ca'), ('client', 'ca'), ('stranger', 'other-ca')):
        openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', directory / f'{name}.key',
                '-out', directory / f'{name}.csr', '-subj', f'/CN={name}')
        openssl('x509', '-req', '-in', directory / f'{name}.csr', '-CA', directory / f'{ca}.pem',
                '-CAkey', directory / f'{ca}.key', '-CAcreateserial', '-out',
                directory / f'{name}.pem', '-days', '2')
    # The client key also encrypted, to exercise --use-passwd.
    openssl('pkey', '-in', directory / 'client.key', '-aes256', '-passout', 'pass:secret', '-out',
            directory / 'client-encrypted.key')


def mode_tls(apps, corpus, work):
    if shutil.which('openssl') is None:
        print('skipped: the openssl program is not installed')
        return None
    ca = work / 'ca'
    make_test_ca(ca)
    server_tls = ['+tls', ca / 'server.key', ca / 'server.pem', '+cf', ca / 'ca.pem']
    client_tls = ['+tls', ca / 'client.key', ca / 'client.pem', '+cf', ca / 'ca.pem']
    failures = []

    def expect(label, result, ok=True, stderr_has=None):
        text = result.stderr.decode(errors='replace')
        wanted = (stderr_has,) if isinstance(stderr_has, str) else stderr_has
        good = (result.returncode == 0) == ok and (wanted is None or any(w in text for w in wanted))
        if not good:
            failures.append(f'{label}: exit {result.returncode}: {text.strip()}')
        else:
            print(f'{label}: ok (exit {result.returncode})')

    source = work / 'tls-source'
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir()
    expected = {}
    for i in range(3):
        uid = f'2.25.77{i}{os.getpid()}'
        # 3 MB of pixel data: many TLS records and PDUs.
        pattern = struct.pack('<I', i) * (3 * 1024 * 1024 // 4)
        expected[uid] = write_tiny(source / f'{i}.dcm', '1.2.840.10008.5.1.4.1.1.7', uid, pattern)

    def check_stored(label, directory):
        stored = {p.name.split('.', 1)[1]: data_set_bytes(p) for p in directory.iterdir()
                  if not p.name.startswith('.')}
        if stored != expected:
            failures.append(f'{label}: {len(stored)} objects stored, not the {len(expected)} sent '
                            'unchanged')
        else:
            print(f'{label}: {len(stored)} objects stored unchanged')

    for scp_side, scu_side in ((DCMTK, apps), (apps, DCMTK), (apps, apps)):
        received = work / f'tls-received-{scp_side.name}-{scu_side.name}'
        shutil.rmtree(received, ignore_errors=True)
        received.mkdir()
        names = f'{"DCMTK" if scu_side == DCMTK else "dcmkit"} -> ' \
                f'{"DCMTK" if scp_side == DCMTK else "dcmkit"}'
        with Server(scp_side / 'storescp', [*server_tls, '-od', received], work) as scp:
            expect(f'TLS echo {names}', run([scu_side / 'echoscu', *client_tls, 'localhost',
                                             scp.port]))
            expect(f'TLS store {names}', run([scu_side / 'storescu', *client_tls, '+sd',
                                              'localhost', scp.port, source]))
        check_stored(f'TLS store {names}', received)

    with Server(apps / 'storescp', [*server_tls, '--ignore'], work) as ours, \
            Server(DCMTK / 'storescp', [*server_tls, '--ignore'], work) as theirs:
        for port, who in ((ours.port, 'dcmkit'), (theirs.port, 'DCMTK')):
            expect(f'dcmkit echoscu, encrypted client key -> {who}',
                   run([apps / 'echoscu', '+tls', ca / 'client-encrypted.key', ca / 'client.pem',
                        '+pw', 'secret', '+cf', ca / 'ca.pem', 'localhost', port]))
            expect(f'dcmkit echoscu +tla -> {who}',
                   run([apps / 'echoscu', '+tla', '+cf', ca / 'ca.pem', 'localhost', port]),
                   ok=False)
            # TLS 1.3: the server refuses the client's certificate after the client's side of the
            # handshake is done; the client must still say why the association failed.
            expect(f'dcmkit echoscu, certificate of an untrusted CA -> {who}',
                   run([apps / 'echoscu', '+tls', ca / 'stranger.key', ca / 'stranger.pem',
                        '+cf', ca / 'ca.pem', 'localhost', port]), ok=False,
                   stderr_has=('unknown ca', 'refuse this client'))
            expect(f'dcmkit echoscu not trusting the server\'s CA -> {who}',
                   run([apps / 'echoscu', '+tls', ca / 'client.key', ca / 'client.pem',
                        '+cf', ca / 'other-ca.pem', 'localhost', port]), ok=False,
                   stderr_has='certificate verify failed')
            expect(f'dcmkit echoscu -ic not trusting the server\'s CA -> {who}',
                   run([apps / 'echoscu', '+tls', ca / 'client.key', ca / 'client.pem',
                        '+cf', ca / 'other-ca.pem', '-ic', 'localhost', port]))
            expect(f'dcmkit echoscu +px -> {who}',
                   run([apps / 'echoscu', *client_tls, '+px', 'localhost', port]))
            expect(f'plain dcmkit echoscu -> TLS {who}',
                   run([apps / 'echoscu', 'localhost', port]), ok=False,
                   stderr_has='does the peer expect TLS?')
        expect('plain DCMTK echoscu -> TLS dcmkit', run([DCMTK / 'echoscu', 'localhost',
                                                          ours.port]), ok=False)
    # Retired profiles (+pa AES, +pn authenticated without encryption) and DH parameters (+dp)
    # against DCMTK in both directions.
    dh = ca / 'dh.pem'
    openssl_result = run(['openssl', 'genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt',
                          'group:ffdhe2048', '-out', dh])
    if openssl_result.returncode != 0:
        failures.append(f'openssl cannot make DH parameters: {openssl_result.stderr!r}')
    for extra in (['+pa'], ['+pn'], ['+dp', dh]):
        client_extra = [] if extra[0] == '+dp' else extra
        for scp_side, scu_side in ((DCMTK, apps), (apps, DCMTK), (apps, apps)):
            names = f'{"DCMTK" if scu_side == DCMTK else "dcmkit"} -> ' \
                    f'{"DCMTK" if scp_side == DCMTK else "dcmkit"}'
            with Server(scp_side / 'storescp', [*server_tls, *extra, '--ignore'], work) as scp:
                expect(f'TLS {extra[0]} echo {names}',
                       run([scu_side / 'echoscu', *client_tls, *client_extra, 'localhost',
                            scp.port]))
    # The random seed file (+rs, +ws, +wf): written back after the association, 1024 bytes.
    with Server(apps / 'storescp', [*server_tls, '--ignore'], work) as seed_scp:
        seed = work / 'seed'
        seed.write_bytes(bytes(range(256)) * 4)
        expect('dcmkit echoscu +rs +ws', run([apps / 'echoscu', *client_tls, '+rs', seed, '+ws',
                                             'localhost', seed_scp.port]))
        if seed.read_bytes() == bytes(range(256)) * 4 or seed.stat().st_size != 1024:
            failures.append('echoscu +ws did not write a new seed back')
        written = work / 'seed-written'
        written.unlink(missing_ok=True)
        expect('dcmkit echoscu +rs (missing file) +wf',
               run([apps / 'echoscu', *client_tls, '+rs', work / 'no-such-seed', '+wf', written,
                    'localhost', seed_scp.port]), stderr_has='cannot read random seed file')
        if not written.exists() or written.stat().st_size != 1024:
            failures.append('echoscu +wf did not write the seed file')
        for program in ('echoscu', 'storescu'):
            theirs_result = run([DCMTK / program, *client_tls, '+ws', 'localhost', seed_scp.port])
            ours_result = run([apps / program, *client_tls, '+ws', 'localhost', seed_scp.port])
            if theirs_result.returncode != ours_result.returncode:
                failures.append(f'{program} +ws without +rs: DCMTK exit {theirs_result.returncode}, '
                                f'dcmkit {ours_result.returncode}')
            else:
                print(f'{program} +ws without +rs: exit {ours_result.returncode} as DCMTK')
    log = (work / f'storescp-{ours.port}.log').read_text()
    if 'not TLS: it does not use TLS' not in log:
        failures.append(f'TLS dcmkit storescp does not say the plain peer does not use TLS: {log}')
    with Server(apps / 'storescp', ['--ignore'], work) as ours, \
            Server(DCMTK / 'storescp', ['--ignore'], work) as theirs:
        for port, who in ((ours.port, 'dcmkit'), (theirs.port, 'DCMTK')):
            expect(f'TLS dcmkit echoscu -> plain {who}',
                   run([apps / 'echoscu', *client_tls, 'localhost', port]), ok=False,
                   stderr_has='TLS handshake failed')
        expect('TLS DCMTK echoscu -> plain dcmkit',
               run([DCMTK / 'echoscu', *client_tls, 'localhost', ours.port]), ok=False)
    # Offline certificate checks (echoscu +vc, +rc): the same verdict and exit code as DCMTK.
    for args in (['+rc', ca / 'ca.pem'], ['+rc', ca / 'client.pem'],
                 [*client_tls, '+vc', ca / 'client.pem'], [*client_tls, '+vc', ca / 'stranger.pem'],
                 ['+cf', ca / 'ca.pem', 'localhost', '1']):
        theirs_result = run([DCMTK / 'echoscu', *args])
        ours_result = run([apps / 'echoscu', *args])
        verdict = (theirs_result.returncode, theirs_result.stdout.splitlines()[-1:])
        if (ours_result.returncode, ours_result.stdout.splitlines()[-1:]) != verdict:
            failures.append(f'echoscu {args}: DCMTK {verdict}, dcmkit {ours_result.returncode} '
                            f'{ours_result.stdout!r}')
        else:
            print(f'echoscu {[str(a) for a in args]}: same as DCMTK {verdict}')
    log = (work / f'storescp-{ours.port}.log').read_text()
    if 'it expects a TLS connection' not in log:
        failures.append(f'plain dcmkit storescp does not say the peer expects TLS: {log}')
    return failures


# --- host access control (+ac) -------------------------------------------------------------

def mode_access(apps, corpus, work):
    """Re-runs this script as 'access-inner' in a private mount namespace."""
    if shutil.which('unshare') is None:
        print('skipped: unshare is not available')
        return None
    probe = run(['unshare', '--mount', 'true'])
    if probe.returncode != 0:
        print(f'skipped: no mount namespaces here: {probe.stderr.decode(errors="replace")}')
        return None
    result = subprocess.run(['unshare', '--mount', sys.executable, __file__, 'access-inner',
                             str(apps), str(corpus), str(work)], timeout=600)
    if result.returncode == 77:
        return None
    return [] if result.returncode == 0 else [f'access checks failed ({result.returncode})']


def mode_access_inner(apps, corpus, work):
    allow = work / 'hosts.allow'
    deny = work / 'hosts.deny'
    allow.write_text('')
    deny.write_text('')
    for mine, system in ((allow, '/etc/hosts.allow'), (deny, '/etc/hosts.deny')):
        if not pathlib.Path(system).exists():
            print(f'skipped: {system} does not exist to mount over')
            return None
        mounted = run(['mount', '--bind', mine, system])
        if mounted.returncode != 0:
            print(f'skipped: cannot bind-mount {system}: {mounted.stderr!r}')
            return None
    failures = []
    # (allow rules, deny rules, whether echo gets through)
    cases = ((
        '', 'storescp: ALL\n', False), (
        '', '', True), (
        'storescp: 127.0.0.1\n', 'storescp: ALL\n', True), (
        '', 'ALL: 127.0.0.1\n', False), (
        '', 'otherdaemon: ALL\n', True))
    for allow_rules, deny_rules, expected in cases:
        allow.write_text(allow_rules)
        deny.write_text(deny_rules)
        outcomes = {}
        for side in (DCMTK, apps):
            who = 'DCMTK' if side == DCMTK else 'dcmkit'
            with Server(side / 'storescp', ['+ac', '-dhl', '--ignore'], work) as scp:
                echo = run([DCMTK / 'echoscu', 'localhost', scp.port])
            outcomes[who] = echo.returncode == 0
            log = (work / f'storescp-{scp.port}.log').read_text()
            if not echo.returncode == 0 and side == apps and \
                    'TCP wrapper: denied connection from 127.0.0.1 (127.0.0.1)' not in log:
                failures.append(f'dcmkit storescp does not log the denial: {log!r}')
        label = f'allow {allow_rules.strip()!r} deny {deny_rules.strip()!r}'
        if outcomes != {'DCMTK': expected, 'dcmkit': expected}:
            failures.append(f'{label}: expected echo {"accepted" if expected else "refused"}, '
                            f'got {outcomes}')
        else:
            print(f'{label}: echo {"accepted" if expected else "refused"} by both')
    allow.write_text('')
    deny.write_text('storescp: ALL\n')
    with Server(apps / 'storescp', ['--ignore'], work) as scp:
        if run([DCMTK / 'echoscu', 'localhost', scp.port]).returncode != 0:
            failures.append('the rules refused an association without +ac')
        else:
            print('without +ac the rules are not applied')
    return failures


def main():
    mode, apps, corpus, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), \
        pathlib.Path(sys.argv[4])
    if not (DCMTK / 'storescp').exists():
        print('skipped: DCMTK is not installed')
        return 77
    if mode in ('store-out', 'store-in', 'negotiation') and not (corpus / 'MANIFEST.tsv').exists():
        print('skipped: the corpus is not available')
        return 77
    work.mkdir(parents=True, exist_ok=True)
    if mode == 'echo':
        failures = mode_echo(apps, corpus, work)
    elif mode == 'store-out':
        failures = mode_store(apps, corpus, work, outgoing=True)
    elif mode == 'store-in':
        failures = mode_store(apps, corpus, work, outgoing=False)
    elif mode == 'negotiation':
        failures = mode_negotiation(apps, corpus, work)
    elif mode == 'load':
        failures = mode_load(apps, corpus, work)
    elif mode == 'tls':
        failures = mode_tls(apps, corpus, work)
        if failures is None:
            return 77
    elif mode == 'access':
        failures = mode_access(apps, corpus, work)
        if failures is None:
            return 77
    elif mode == 'access-inner':
        failures = mode_access_inner(apps, corpus, work)
        if failures is None:
            return 77
    else:
        print(f'unknown mode {mode}')
        return 2
    for failure in failures:
        print('FAIL', failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
