#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's network programs against Orthanc (Debian's orthanc package), both directions.

Orthanc is started here on free loopback ports with its own storage in the work directory and
no plugins. Then:
  - dcmkit echoscu -> Orthanc, and Orthanc's C-ECHO (REST /modalities/dcmkit/echo) -> dcmkit
    storescp;
  - dcmkit storescu sends every corpus file to Orthanc; each one Orthanc stored is downloaded
    through the REST API and its data set compared with the original (DCMTK's dcmdump, lengths
    normalized as in net_interop.py). Files Orthanc refuses from DCMTK's storescu too are skipped
    (Orthanc's own limits), anything else it refuses from ours is a failure;
  - Orthanc sends every stored instance to dcmkit's storescp (REST /modalities/dcmkit/store);
    every received data set is compared with the original.
Exit 77 (skipped) without Orthanc, DCMTK or the corpus.

Usage: orthanc_interop.py <dcmkit apps dir> <corpus dir> <work dir>"""
import difflib
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import net_interop  # noqa: E402  (the helpers shared with the DCMTK network tests)

ORTHANC = shutil.which('Orthanc')


class Orthanc:
    def __init__(self, work, modality_port):
        self.http_port = net_interop.free_port()
        self.dicom_port = net_interop.free_port()
        storage = work / 'orthanc-storage'
        shutil.rmtree(storage, ignore_errors=True)
        storage.mkdir(parents=True)
        config = {
            'Name': 'dcmkit-interop',
            'StorageDirectory': str(storage),
            'IndexDirectory': str(storage),
            'HttpPort': self.http_port,
            'DicomPort': self.dicom_port,
            'DicomAet': 'ORTHANC',
            'RemoteAccessAllowed': False,
            'AuthenticationEnabled': False,
            'Plugins': [],
            'UnknownSopClassAccepted': True,
            'DicomCheckCalledAet': True,
            'DicomModalities': {'dcmkit': ['DCMKIT', '127.0.0.1', modality_port]},
            'DicomScuTimeout': 30,
            'StorageCompression': False,
            'OverwriteInstances': True,
        }
        config_path = work / 'orthanc.json'
        config_path.write_text(json.dumps(config, indent=2))
        self.log = open(work / 'orthanc.log', 'w')
        self.process = subprocess.Popen([ORTHANC, str(config_path)], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f'Orthanc exited with {self.process.returncode}; '
                                   f'see {work / "orthanc.log"}')
            try:
                self.get('/system')
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise RuntimeError('Orthanc does not answer on its HTTP port')

    def request(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f'http://127.0.0.1:{self.http_port}{path}', data=data,
                                         method=method)
        with urllib.request.urlopen(request, timeout=300) as response:
            content = response.read()
        return content if raw else json.loads(content or b'null')

    def get(self, path, raw=False):
        return self.request('GET', path, raw=raw)

    def post(self, path, body):
        return self.request('POST', path, body)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def orthanc_id(orthanc, sop_instance_uid):
    request = urllib.request.Request(
        f'http://127.0.0.1:{orthanc.http_port}/tools/lookup', data=sop_instance_uid.encode(),
        method='POST')
    with urllib.request.urlopen(request, timeout=60) as response:
        matches = json.loads(response.read())
    for match in matches:
        if match.get('Type') == 'Instance':
            return match['ID']
    return None


# Orthanc re-encodes what it stores and sends (through DCMTK): it recomputes or drops group
# lengths and drops Data Set Trailing Padding, neither of which carries data (PS3.5 7.2, 7.6).
TRAILING_PADDING = re.compile(r'^\(fffc,fffc\) .*\n', re.M)


def differences(original, other):
    """The first lines by which the normalized dumps of two files differ; empty if none."""
    dumps = []
    for path in (original, other):
        _, text = net_interop.data_set_dump(path)
        text = net_interop.GROUP_LENGTHS.sub('', text)
        text = TRAILING_PADDING.sub('', text)
        # Re-encoded sequence lengths change the column the comment starts in.
        dumps.append(re.sub(r' +#', ' #', text))
    a, b = dumps
    lines = [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm='',
                                                   n=0) if not line.startswith(('---', '+++', '@@'))]
    return '; '.join(lines[:4])


def main():
    apps, corpus, work = (pathlib.Path(a) for a in sys.argv[1:4])
    if ORTHANC is None:
        print('skipped: Orthanc is not installed')
        return 77
    if not (net_interop.DCMTK / 'storescu').exists():
        print('skipped: DCMTK is not installed')
        return 77
    if not (corpus / 'MANIFEST.tsv').exists():
        print('skipped: the corpus is not available')
        return 77
    work.mkdir(parents=True, exist_ok=True)
    received = work / 'received'
    shutil.rmtree(received, ignore_errors=True)
    received.mkdir()
    failures = []
    compared = 0
    skipped = []
    sent = {}  # SOP Instance UID -> (original file, Orthanc ID)
    with net_interop.Server(apps / 'storescp', ['+xa', '-aet', 'DCMKIT', '-od', received],
                            work) as scp, Orthanc(work, scp.port) as orthanc:
        echo = net_interop.run([apps / 'echoscu', '-aec', 'ORTHANC', 'localhost',
                                orthanc.dicom_port])
        if echo.returncode != 0:
            failures.append(f'echoscu -> Orthanc: exit {echo.returncode}: {echo.stderr!r}')
        else:
            print('dcmkit echoscu -> Orthanc: ok')
        try:
            orthanc.post('/modalities/dcmkit/echo', {})
            print('Orthanc C-ECHO -> dcmkit storescp: ok')
        except urllib.error.HTTPError as error:
            failures.append(f'Orthanc C-ECHO -> dcmkit storescp failed: {error}')

        for path in net_interop.corpus_files(corpus):
            uid = net_interop.sop_instance_uid(path)
            ts = net_interop.transfer_syntax(path)
            if not uid or not ts:
                skipped.append(f'{path.name}: not a DICOM file DCMTK can read')
                continue
            proposal = net_interop.transfer_option(ts)
            ours = net_interop.run([apps / 'storescu', '-R', *proposal, '-aec', 'ORTHANC',
                                    'localhost', orthanc.dicom_port, path])
            identifier = orthanc_id(orthanc, uid) if ours.returncode == 0 else None
            if identifier is None:
                theirs = net_interop.run([net_interop.DCMTK / 'storescu', '-R', *proposal, '-aec',
                                          'ORTHANC', 'localhost', orthanc.dicom_port, path])
                if theirs.returncode != 0 or orthanc_id(orthanc, uid) is None:
                    skipped.append(f'{path.name}: Orthanc does not take it from DCMTK either')
                else:
                    failures.append(f'{path.name}: dcmkit storescu -> Orthanc failed '
                                    f'({ours.returncode}): '
                                    f'{ours.stderr.decode(errors="replace").strip()}')
                continue
            stored = work / 'from-orthanc.dcm'
            stored.write_bytes(orthanc.get(f'/instances/{identifier}/file', raw=True))
            # Some corpus files share a SOP Instance UID; Orthanc keeps the last one sent.
            sent[uid] = (path, identifier)
            compared += 1
            difference = differences(path, stored)
            if difference:
                failures.append(f'{path.name}: Orthanc stored a data set that differs from the '
                                f'original: {difference}')
        print(f'dcmkit storescu -> Orthanc: {compared} files stored and compared, '
              f'{len(skipped)} skipped')
        for line in skipped:
            print(f'  skipped {line}')

        # Orthanc -> dcmkit storescp: everything it holds, in one association.
        try:
            orthanc.post('/modalities/dcmkit/store',
                         {'Resources': [identifier for _, identifier in sent.values()],
                          'Synchronous': True})
        except urllib.error.HTTPError as error:
            failures.append(f'Orthanc C-STORE -> dcmkit storescp failed: {error}')
    back = 0
    for uid, (path, _) in sent.items():
        # storescp names files "<modality>.<SOP Instance UID>".
        file = next((p for p in received.iterdir() if p.name.split('.', 1)[-1] == uid), None)
        if file is None:
            failures.append(f'{path.name}: not received from Orthanc')
            continue
        back += 1
        difference = differences(path, file)
        if difference:
            failures.append(f'{path.name}: the data set Orthanc sent differs from the original: '
                            f'{difference}')
    print(f'Orthanc -> dcmkit storescp: {back} of {len(sent)} instances received and compared')
    if compared == 0:
        failures.append('no file could be compared')
    for failure in failures:
        print('FAIL', failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
