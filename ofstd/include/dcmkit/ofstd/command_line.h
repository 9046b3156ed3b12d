// SPDX-License-Identifier: BSD-3-Clause
// DCMTK-compatible command lines: `+x`/`-x`/`--long` options with values, option groups rendered
// in DCMTK's `--help` layout, positional parameters with cardinality, and `@file` command files.
// Error messages and their wording match DCMTK's, so the programs are drop-in replacements.
//
//   ofstd::CommandLine cl("dcmdump", "Dump DICOM file and data set");
//   cl.add_parameter("dcmfile-in", "DICOM input file or directory to be dumped",
//                    ofstd::Cardinality::OneOrMore);
//   cl.add_group("output options:");
//   cl.add_subgroup("printing:");
//   cl.add_option("+L", "--print-all", "print long tag values completely");
//   cl.add_option("-L", "--print-short", "print long tag values shortened (default)");
//   const ofstd::ParseOutcome outcome = cl.process(argc, argv);  // help, version, errors
//   if (outcome.exit_code) return *outcome.exit_code;
//   const bool print_all = outcome.args.last_of({"+L", "-L"}) == "+L";
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::ofstd {

/// dcmkit's version ("0.1.0"), as shown by every program's banner and `--version`.
std::string_view dcmkit_version() noexcept;
/// dcmkit's release date ("YYYY-MM-DD"), as shown by the banner.
std::string_view dcmkit_release_date() noexcept;

/// How many positional arguments a parameter takes; shown in the usage line.
enum class Cardinality : std::uint8_t {
  One,         ///< exactly one: `name`
  Optional,    ///< zero or one: `[name]`
  OneOrMore,   ///< one or more: `name...`
  ZeroOrMore,  ///< zero or more: `[name...]`
};

/// Role of an option in parsing.
enum class OptionKind : std::uint8_t {
  Normal,     ///< an ordinary option
  Exclusive,  ///< like --help or --version: when given, parameter counts are not checked
};

/// Optional range for a numeric option or parameter value; checks are inclusive unless
/// `min_exclusive` is set (DCMTK's "greater than" checks, e.g. a scale factor > 0).
template <class T>
struct Bounds {
  std::optional<T> min;
  std::optional<T> max;
  bool min_exclusive = false;

  /// min <= value <= max, e.g. `IntBounds::range(4, 4194302)`.
  static constexpr Bounds range(T lo, T hi) { return {lo, hi, false}; }
  /// value >= lo.
  static constexpr Bounds at_least(T lo) { return {lo, std::nullopt, false}; }
  /// value > lo.
  static constexpr Bounds greater_than(T lo) { return {lo, std::nullopt, true}; }
  /// value <= hi.
  static constexpr Bounds at_most(T hi) { return {std::nullopt, hi, false}; }
};
using IntBounds = Bounds<long long>;
using FloatBounds = Bounds<double>;

/// A successfully parsed command line: which options appeared (in order, with their values) and
/// the positional parameters. Options are named by either their short or long name ("+L" or
/// "--print-all"); naming an option that was never registered is a bug and aborts.
/// Regular value type; const methods are safe concurrently.
class ParsedCommandLine {
 public:
  /// One appearance of an option on the command line.
  struct Occurrence {
    std::size_t option = 0;           ///< index into the registered options
    std::vector<std::string> values;  ///< exactly the option's value count
  };
  /// Names of one registered option, as needed for lookups and messages.
  struct OptionNames {
    std::string short_name;
    std::string long_name;
  };

  ParsedCommandLine() = default;

  /// True if the option appeared at least once.
  bool has(std::string_view option) const;
  /// How often the option appeared.
  std::size_t count(std::string_view option) const;
  /// Of the given options, the one that appeared last (rightmost), as spelled in the list; empty
  /// if none appeared. This is how exclusive option blocks (`+L`/`-L`) are resolved.
  std::optional<std::string_view> last_of(std::initializer_list<std::string_view> options) const;

  /// Value `index` of the option's last occurrence; empty if the option did not appear.
  std::optional<std::string> value(std::string_view option, std::size_t index = 0) const;
  /// All values of the option's last occurrence (e.g. `+tls key cert`); empty if absent.
  std::vector<std::string> values(std::string_view option) const;
  /// The values of every occurrence, in command-line order (e.g. every `+P tag`).
  std::vector<std::string> all_values(std::string_view option) const;
  /// Every occurrence's values, in command-line order.
  std::vector<std::vector<std::string>> occurrences(std::string_view option) const;

  /// Value `index` of the option's last occurrence as an integer within `bounds`.
  /// InvalidArgument with DCMTK's wording: "Invalid value for option --max-read-length (abc)",
  /// "... (underflow: 1)", "... (overflow: 5000000)". NotFound if the option did not appear.
  Result<long long> value_as_int(std::string_view option, IntBounds bounds = {},
                                 std::size_t index = 0) const;
  /// Like value_as_int(), for a floating-point value.
  Result<double> value_as_float(std::string_view option, FloatBounds bounds = {},
                                std::size_t index = 0) const;
  /// Converts `text` (e.g. one of all_values()) as a value of `option`, with the same errors.
  Result<long long> to_int(std::string_view option, std::string_view text,
                           IntBounds bounds = {}) const;
  /// Like to_int(), for a floating-point value.
  Result<double> to_float(std::string_view option, std::string_view text,
                          FloatBounds bounds = {}) const;

  /// The positional parameters, in order.
  const std::vector<std::string>& params() const noexcept { return params_; }
  /// Number of positional parameters.
  std::size_t param_count() const noexcept { return params_.size(); }
  /// Parameter `index` (0-based); precondition: index < param_count().
  const std::string& param(std::size_t index) const;
  /// Parameter `index` as an integer within `bounds`; InvalidArgument with DCMTK's wording:
  /// "Invalid parameter value abc", "Invalid parameter value 0 (underflow)", "... (overflow)".
  Result<long long> param_as_int(std::size_t index, IntBounds bounds = {}) const;
  /// Like param_as_int(), for a floating-point value.
  Result<double> param_as_float(std::size_t index, FloatBounds bounds = {}) const;

  /// Error "<option> only allowed with <required>" (long names) if `option` appeared without
  /// `required`; ok otherwise.
  Status check_dependence(std::string_view option, std::string_view required) const;
  /// Error "<option> not allowed with <a>, <b> or <c>" (long names of all `others`) if `option`
  /// appeared together with any of `others`; ok otherwise.
  Status check_conflict(std::string_view option,
                        std::initializer_list<std::string_view> others) const;

  /// The long name of a registered option ("+L" -> "--print-all").
  std::string_view long_name(std::string_view option) const;
  /// The arguments after `@file` expansion, without the program name.
  const std::vector<std::string>& arguments() const noexcept { return arguments_; }
  /// The occurrences of all options, in command-line order.
  const std::vector<Occurrence>& all_occurrences() const noexcept { return occurrences_; }
  /// The names of the option that an Occurrence refers to (Occurrence::option); precondition:
  /// the index comes from all_occurrences().
  const OptionNames& option_names(std::size_t option) const noexcept { return options_[option]; }
  /// DCMTK's `--arguments` message: "calling 'dcmdump' with 2 arguments: '--debug' 'x' \n",
  /// options shown by their long names. The trailing newline is DCMTK's, and makes a logger
  /// print an empty second line.
  std::string arguments_message() const;

 private:
  friend class CommandLine;
  std::size_t index_of(std::string_view option) const;

  std::string program_;
  std::vector<OptionNames> options_;
  std::vector<Occurrence> occurrences_;
  std::vector<std::string> params_;
  std::vector<std::string> arguments_;
  std::vector<std::string> canonical_arguments_;  // options replaced by their long names
};

/// What CommandLine::process() decided: stop now with `exit_code`, or go on with `args`.
struct ParseOutcome {
  std::optional<int> exit_code;  ///< set: help/version printed or an error reported
  ParsedCommandLine args;        ///< valid when exit_code is empty
};

/// The definition of a program's command line: parameters, grouped options and the texts shown
/// by --help and --version. Defining it is done once at start-up; misuse (duplicate or malformed
/// option names) is a bug and aborts. Const methods are safe concurrently.
class CommandLine {
 public:
  /// `program` is the name shown in messages ("dcmdump"), `description` the one-line summary.
  CommandLine(std::string program, std::string description);

  /// Replaces the first line of help, version and error output (default:
  /// "$dcmkit: <program> v<version> <date> $").
  void set_banner(std::string banner);
  /// Text printed by --version after the description, e.g. "Host type: ...\n...".
  void set_version_details(std::string details);

  /// Adds a positional parameter. Mandatory ones precede optional ones; one parameter may take
  /// several values, followed only by single mandatory ones ("imgfile-in... dcmfile-out").
  /// Description lines are separated by '\n'.
  void add_parameter(std::string name, std::string description,
                     Cardinality cardinality = Cardinality::One);
  /// Starts an option group, e.g. "general options:".
  void add_group(std::string title);
  /// Starts a subgroup of the current group, e.g. "input file format:".
  void add_subgroup(std::string title);
  /// Adds an option to the current (sub)group. `short_name` is "+x"/"-x" style or empty;
  /// `long_name` is "--name". `description` holds the help lines separated by '\n'; for options
  /// with values, DCMTK puts the value description first ("[k]bytes: integer (4..4194302)").
  /// The option takes exactly `value_count` values and may be given several times.
  void add_option(std::string short_name, std::string long_name, std::string description,
                  int value_count = 0, OptionKind kind = OptionKind::Normal);

  /// Fixes the widths of the short and long option columns, as DCMTK's programs do; a block of
  /// options (a group's own options or a subgroup) with longer names widens for itself only.
  /// Default: the longest names of all options.
  void set_option_columns(std::size_t long_width, std::size_t short_width);
  /// Fixes the width of the parameter name column; 0 means the longest parameter name.
  /// Default: parameter descriptions line up with option descriptions.
  void set_param_column(std::size_t width);

  /// The program name given to the constructor.
  const std::string& program() const noexcept { return program_; }
  /// The first line of help, version and error output ("$dcmkit: dcmdump v0.1.0 <date> $").
  const std::string& banner() const noexcept { return banner_; }
  /// The full --help text, ending with an empty line, exactly in DCMTK's layout.
  std::string help_text() const;
  /// The --version text: banner, description and the version details.
  std::string version_text() const;
  /// DCMTK's report of a command-line mistake: banner, description and "error: <message>".
  std::string error_text(std::string_view message) const;

  /// Parses `arguments` (without the program name): expands `@file`s, matches options and
  /// collects parameters. InvalidArgument with DCMTK's messages ("Unknown option +xyz",
  /// "Missing value for option --max-read-length", "Missing parameter dcmfile-out", "Too many
  /// parameters"), IoError for an unreadable command file. Parameter counts are not checked when
  /// an Exclusive option (--help, --version) was given.
  Result<ParsedCommandLine> parse(std::span<const std::string> arguments) const;

  /// What a main() needs: parses argv and handles the standard cases DCMTK's way. No arguments
  /// at all while a parameter is mandatory, or --help: the help text goes to `out`, exit 0.
  /// --version (if registered): the version text goes to `out`, exit 0. A malformed command line:
  /// error_text() goes to `err`, exit 1. --arguments is left to the caller (it is logged).
  ParseOutcome process(int argc, const char* const* argv, std::ostream& out,
                       std::ostream& err) const;
  /// process() on std::cout and std::cerr.
  ParseOutcome process(int argc, const char* const* argv) const;

  /// Replaces each argument "@file" by the arguments read from that file: separated by white
  /// space, with '...' or "..." quoting (a closing quote ends the argument; an unclosed quote runs
  /// to the end of the file), no escapes and no nesting (an "@x" inside a file stays literal), as
  /// DCMTK does. A lone "@" is literal. IoError "Cannot open command file 'x'";
  /// LimitExceeded for files over 16 MiB.
  static Result<std::vector<std::string>> expand_command_files(
      std::span<const std::string> arguments);
  /// Splits the contents of a command file into arguments (see expand_command_files()).
  static std::vector<std::string> split_command_file(std::string_view text);

 private:
  struct Parameter {
    std::string name;
    std::string description;
    Cardinality cardinality;
  };
  struct Option {
    std::string short_name;
    std::string long_name;
    std::string description;
    int value_count;
    OptionKind kind;
    std::size_t block;  // options sharing column widths: a group's own options, or a subgroup
    bool in_subgroup;
  };
  struct HelpLine {  // a group/subgroup header, or an option
    enum class Kind : std::uint8_t { Group, Subgroup, Option } kind;
    std::string title;
    std::size_t option = 0;
  };

  std::optional<std::size_t> find_option(std::string_view name) const;
  std::string header_text() const;
  std::string usage_text() const;

  std::string program_;
  std::string description_;
  std::string banner_;
  std::string version_details_;
  std::vector<Parameter> parameters_;
  std::vector<Option> options_;
  std::vector<HelpLine> help_lines_;
  std::size_t block_count_ = 0;
  bool in_subgroup_ = false;
  bool has_subgroups_ = false;
  std::optional<std::size_t> long_width_;
  std::optional<std::size_t> short_width_;
  std::optional<std::size_t> param_width_;
};

}  // namespace dcmkit::ofstd
