// SPDX-License-Identifier: BSD-3-Clause
// Process exit codes of the dcmkit programs. They are numerically identical to DCMTK's, so that
// scripts written for DCMTK's programs keep working: `if [ $? -eq 61 ]` still means "association
// negotiation failed". Values taken from the EXIT CODES sections of DCMTK 3.6.7's manual pages
// and checked against the installed programs (e.g. every command-line mistake exits with 1).
#pragma once

namespace dcmkit::ofstd {

// General.
/// Success.
inline constexpr int kExitNoError = 0;
/// Malformed command line: unknown option, missing or invalid value, wrong parameter count.
inline constexpr int kExitCommandLineSyntaxError = 1;
/// The program needs privileges it does not have (e.g. to bind a port below 1024).
inline constexpr int kExitInsufficientPrivileges = 2;
/// Dropping privileges with setuid() failed.
inline constexpr int kExitSetuidFailed = 3;
/// Memory could not be allocated.
inline constexpr int kExitMemoryExhausted = 4;
/// The program needs TLS support, which this build does not have.
inline constexpr int kExitNoOpenSsl = 5;

// Input file errors (20..39).
/// An input file could not be read.
inline constexpr int kExitCannotReadInputFile = 20;
/// No input files were given or found (e.g. an empty directory scan).
inline constexpr int kExitNoInputFiles = 21;
/// An input file was read but is not valid for the purpose.
inline constexpr int kExitInvalidInputFile = 22;
/// None of the input files was valid.
inline constexpr int kExitNoValidInputFiles = 23;

// Output file errors (40..59).
/// An output file could not be written.
inline constexpr int kExitCannotWriteOutputFile = 40;
/// A report file could not be written.
inline constexpr int kExitCannotWriteReportFile = 43;
/// The output directory does not exist or is not writable.
inline constexpr int kExitInvalidOutputDirectory = 45;
/// A support file (e.g. a signature or time stamp query) could not be written.
inline constexpr int kExitCannotWriteSupportFile = 46;

// Network errors (60..79).
/// The network layer could not be initialized.
inline constexpr int kExitCannotInitializeNetwork = 60;
/// The association was rejected or could not be negotiated.
inline constexpr int kExitCannotNegotiateAssociation = 61;
/// A DIMSE request could not be sent.
inline constexpr int kExitCannotSendRequest = 62;
/// The SCP could not listen on its port.
inline constexpr int kExitCannotStartScpAndListen = 64;
/// Association parameters could not be created (movescu's name for 65).
inline constexpr int kExitCannotCreateAssociationParameters = 65;
/// A presentation context could not be added (dcmsend's name for 65).
inline constexpr int kExitCannotAddPresentationContext = 65;
/// No acceptable presentation context (movescu's name for 66).
inline constexpr int kExitNoPresentationContext = 66;
/// The association configuration file is invalid (dcmrecv's name for 66).
inline constexpr int kExitInvalidAssociationConfig = 66;
/// The association could not be released or aborted cleanly.
inline constexpr int kExitCannotCloseAssociation = 67;
/// A C-MOVE completed with warnings.
inline constexpr int kExitCMoveWarning = 68;
/// A C-MOVE failed.
inline constexpr int kExitCMoveError = 69;
/// The peer aborted the association.
inline constexpr int kExitAssociationAborted = 70;
/// The TLS or TCP transport layer could not be created.
inline constexpr int kExitCannotCreateTransportLayer = 71;

// 80 and above are program specific in DCMTK (dcm2json: 80 cannot convert to Unicode, 81 cannot
// write valid JSON; dcmicmp: 80..94; dcmsign: 30..33, 80..87, 100..102). They are defined by the
// program that uses them, not here.

}  // namespace dcmkit::ofstd
