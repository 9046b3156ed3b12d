// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/command_line.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/strings.h"

#ifndef DCMKIT_VERSION_STRING
#define DCMKIT_VERSION_STRING "0.0.0"
#endif

namespace dcmkit::ofstd {
namespace {

// The date shown in banners; bump it with the version in the top-level CMakeLists.txt.
constexpr std::string_view kReleaseDate = "2026-11-25";

// Command files are meant for long option lists, not data; a bound keeps a mistaken
// `@/dev/zero` or a huge file from exhausting memory (input is hostile, STYLE.md 2.1).
constexpr std::uintmax_t kMaxCommandFileSize = std::uintmax_t{16} * 1024 * 1024;

[[noreturn]] void precondition_failed(std::string_view what) {
  std::fprintf(stderr, "dcmkit: command line definition error: %.*s\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

bool is_sign(char c) { return c == '-' || c == '+'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "+x", "-xf", "--long" look like options; "-", "+", "-5" and "+1.5" are parameters (DCMTK
// passes negative numbers through as parameters, and a lone "-" names stdin for some tools).
bool looks_like_option(std::string_view arg) {
  return arg.size() >= 2 && is_sign(arg[0]) && !is_digit(arg[1]);
}

std::vector<std::string_view> split_lines(std::string_view text) { return split(text, '\n'); }

void pad_to(std::string& line, std::size_t column) {
  if (line.size() < column) line.append(column - line.size(), ' ');
}

template <class T>
std::string number_text(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

enum class RangeCheck : std::uint8_t { Ok, Invalid, Underflow, Overflow };

template <class T>
RangeCheck check_bounds(T value, const Bounds<T>& bounds) {
  if (bounds.min) {
    if (bounds.min_exclusive ? !(value > *bounds.min) : value < *bounds.min) {
      return RangeCheck::Underflow;
    }
  }
  if (bounds.max && value > *bounds.max) return RangeCheck::Overflow;
  return RangeCheck::Ok;
}

// DCMTK reads numbers with sscanf, which skips leading white space; trailing garbage ("4x") is
// rejected here, where DCMTK would silently take the leading number.
RangeCheck convert(std::string_view text, const IntBounds& bounds, long long& out) {
  const std::string_view trimmed = trim(text);
  if (!parse_int(trimmed, out)) return RangeCheck::Invalid;
  return check_bounds(out, bounds);
}

RangeCheck convert(std::string_view text, const FloatBounds& bounds, double& out) {
  const std::string_view trimmed = trim(text);
  if (!parse_double(trimmed, out) || !std::isfinite(out)) return RangeCheck::Invalid;
  return check_bounds(out, bounds);
}

template <class T>
Result<T> convert_option_value(std::string_view long_name, std::string_view text,
                               const Bounds<T>& bounds) {
  T value{};
  std::string message = "Invalid value for option ";
  message += long_name;
  switch (convert(text, bounds, value)) {
    case RangeCheck::Ok:
      return value;
    case RangeCheck::Invalid:
      // DCMTK omits the parenthesis for an empty value.
      if (!text.empty()) message += " (" + std::string(text) + ")";
      break;
    case RangeCheck::Underflow:
      message += " (underflow: " + std::string(text) + ")";
      break;
    case RangeCheck::Overflow:
      message += " (overflow: " + std::string(text) + ")";
      break;
  }
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

template <class T>
Result<T> convert_param_value(std::string_view text, const Bounds<T>& bounds) {
  T value{};
  std::string message = "Invalid parameter value " + std::string(text);
  switch (convert(text, bounds, value)) {
    case RangeCheck::Ok:
      return value;
    case RangeCheck::Invalid:
      break;
    case RangeCheck::Underflow:
      message += " (underflow)";
      break;
    case RangeCheck::Overflow:
      message += " (overflow)";
      break;
  }
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

}  // namespace

std::string_view dcmkit_version() noexcept { return DCMKIT_VERSION_STRING; }
std::string_view dcmkit_release_date() noexcept { return kReleaseDate; }

// ---------------------------------------------------------------------------------------------
// ParsedCommandLine

std::size_t ParsedCommandLine::index_of(std::string_view option) const {
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if ((!options_[i].short_name.empty() && options_[i].short_name == option) ||
        options_[i].long_name == option) {
      return i;
    }
  }
  precondition_failed("option " + std::string(option) + " was never registered");
}

bool ParsedCommandLine::has(std::string_view option) const { return count(option) > 0; }

std::size_t ParsedCommandLine::count(std::string_view option) const {
  const std::size_t index = index_of(option);
  return static_cast<std::size_t>(
      std::count_if(occurrences_.begin(), occurrences_.end(),
                    [index](const Occurrence& o) { return o.option == index; }));
}

std::optional<std::string_view> ParsedCommandLine::last_of(
    std::initializer_list<std::string_view> options) const {
  std::vector<std::size_t> indices;
  indices.reserve(options.size());
  for (const std::string_view option : options) indices.push_back(index_of(option));
  // Scanning from the right: the last occurrence decides.
  for (auto it = occurrences_.rbegin(); it != occurrences_.rend(); ++it) {
    const auto match = std::find(indices.begin(), indices.end(), it->option);
    if (match != indices.end()) return *(options.begin() + (match - indices.begin()));
  }
  return std::nullopt;
}

std::optional<std::string> ParsedCommandLine::value(std::string_view option,
                                                    std::size_t index) const {
  const std::vector<std::string> last = values(option);
  if (index >= last.size()) return std::nullopt;
  return last[index];
}

std::vector<std::string> ParsedCommandLine::values(std::string_view option) const {
  const std::size_t index = index_of(option);
  const auto last = std::find_if(occurrences_.rbegin(), occurrences_.rend(),
                                 [index](const Occurrence& o) { return o.option == index; });
  return last == occurrences_.rend() ? std::vector<std::string>{} : last->values;
}

std::vector<std::string> ParsedCommandLine::all_values(std::string_view option) const {
  const std::size_t index = index_of(option);
  std::vector<std::string> result;
  for (const Occurrence& occurrence : occurrences_) {
    if (occurrence.option == index) {
      result.insert(result.end(), occurrence.values.begin(), occurrence.values.end());
    }
  }
  return result;
}

std::vector<std::vector<std::string>> ParsedCommandLine::occurrences(
    std::string_view option) const {
  const std::size_t index = index_of(option);
  std::vector<std::vector<std::string>> result;
  for (const Occurrence& occurrence : occurrences_) {
    if (occurrence.option == index) result.push_back(occurrence.values);
  }
  return result;
}

Result<long long> ParsedCommandLine::value_as_int(std::string_view option, IntBounds bounds,
                                                  std::size_t index) const {
  const std::optional<std::string> text = value(option, index);
  if (!text) {
    return Error(ErrorCode::NotFound, "Missing value for option " + std::string(long_name(option)));
  }
  return to_int(option, *text, bounds);
}

Result<double> ParsedCommandLine::value_as_float(std::string_view option, FloatBounds bounds,
                                                 std::size_t index) const {
  const std::optional<std::string> text = value(option, index);
  if (!text) {
    return Error(ErrorCode::NotFound, "Missing value for option " + std::string(long_name(option)));
  }
  return to_float(option, *text, bounds);
}

Result<long long> ParsedCommandLine::to_int(std::string_view option, std::string_view text,
                                            IntBounds bounds) const {
  return convert_option_value(long_name(option), text, bounds);
}

Result<double> ParsedCommandLine::to_float(std::string_view option, std::string_view text,
                                           FloatBounds bounds) const {
  return convert_option_value(long_name(option), text, bounds);
}

const std::string& ParsedCommandLine::param(std::size_t index) const {
  if (index >= params_.size()) precondition_failed("parameter index out of range");
  return params_[index];
}

Result<long long> ParsedCommandLine::param_as_int(std::size_t index, IntBounds bounds) const {
  return convert_param_value(param(index), bounds);
}

Result<double> ParsedCommandLine::param_as_float(std::size_t index, FloatBounds bounds) const {
  return convert_param_value(param(index), bounds);
}

Status ParsedCommandLine::check_dependence(std::string_view option,
                                           std::string_view required) const {
  if (has(option) && !has(required)) {
    return Error(
        ErrorCode::InvalidArgument,
        std::string(long_name(option)) + " only allowed with " + std::string(long_name(required)));
  }
  return ok_status();
}

Status ParsedCommandLine::check_conflict(std::string_view option,
                                         std::initializer_list<std::string_view> others) const {
  if (!has(option)) return ok_status();
  bool conflict = false;
  for (const std::string_view other : others) conflict = conflict || has(other);
  if (!conflict) return ok_status();
  // DCMTK names every conflicting option: "--log-level not allowed with --verbose, --debug or
  // --quiet", even if only one of them was given.
  std::string list;
  std::size_t i = 0;
  for (const std::string_view other : others) {
    if (i > 0) list += (i + 1 == others.size()) ? " or " : ", ";
    list += long_name(other);
    ++i;
  }
  return Error(ErrorCode::InvalidArgument,
               std::string(long_name(option)) + " not allowed with " + list);
}

std::string_view ParsedCommandLine::long_name(std::string_view option) const {
  return options_[index_of(option)].long_name;
}

std::string ParsedCommandLine::arguments_message() const {
  std::string message = "calling '" + program_ + "' with " +
                        std::to_string(canonical_arguments_.size()) + " arguments: ";
  for (const std::string& argument : canonical_arguments_) message += "'" + argument + "' ";
  message += '\n';
  return message;
}

// ---------------------------------------------------------------------------------------------
// CommandLine

CommandLine::CommandLine(std::string program, std::string description)
    : program_(std::move(program)), description_(std::move(description)) {
  banner_ = "$dcmkit: " + program_ + " v" + std::string(dcmkit_version()) + " " +
            std::string(dcmkit_release_date()) + " $";
}

void CommandLine::set_banner(std::string banner) { banner_ = std::move(banner); }

void CommandLine::set_version_details(std::string details) {
  version_details_ = std::move(details);
}

void CommandLine::add_parameter(std::string name, std::string description,
                                Cardinality cardinality) {
  if (name.empty()) precondition_failed("empty parameter name");
  // DCMTK's shapes: "a b", "a [b]", "a b...", "a [b...]" and "a... b" (img2dcm). Anything else
  // cannot be assigned unambiguously.
  bool variadic = false;
  bool optional = false;
  for (const Parameter& parameter : parameters_) {
    variadic = variadic || parameter.cardinality == Cardinality::OneOrMore ||
               parameter.cardinality == Cardinality::ZeroOrMore;
    optional = optional || parameter.cardinality == Cardinality::Optional ||
               parameter.cardinality == Cardinality::ZeroOrMore;
  }
  const bool is_variadic =
      cardinality == Cardinality::OneOrMore || cardinality == Cardinality::ZeroOrMore;
  const bool is_mandatory =
      cardinality == Cardinality::One || cardinality == Cardinality::OneOrMore;
  if (variadic && (is_variadic || cardinality == Cardinality::Optional)) {
    precondition_failed("parameter " + name + " follows a variadic parameter");
  }
  if (optional && is_mandatory) {
    precondition_failed("mandatory parameter " + name + " follows an optional one");
  }
  parameters_.push_back({std::move(name), std::move(description), cardinality});
}

void CommandLine::add_group(std::string title) {
  help_lines_.push_back({HelpLine::Kind::Group, std::move(title)});
  ++block_count_;
  in_subgroup_ = false;
}

void CommandLine::add_subgroup(std::string title) {
  help_lines_.push_back({HelpLine::Kind::Subgroup, std::move(title)});
  ++block_count_;
  in_subgroup_ = true;
  has_subgroups_ = true;
}

void CommandLine::add_option(std::string short_name, std::string long_name, std::string description,
                             int value_count, OptionKind kind) {
  if (long_name.size() < 3 || !starts_with(long_name, "--") || long_name[2] == '-') {
    precondition_failed("long option name must be --name: " + long_name);
  }
  if (!short_name.empty() && !looks_like_option(short_name)) {
    precondition_failed("short option name must be +x or -x: " + short_name);
  }
  if (value_count < 0) precondition_failed("negative value count for " + long_name);
  if (find_option(long_name) || (!short_name.empty() && find_option(short_name))) {
    precondition_failed("option registered twice: " + long_name);
  }
  if (block_count_ == 0) ++block_count_;  // options before any group form their own block
  options_.push_back({std::move(short_name), std::move(long_name), std::move(description),
                      value_count, kind, block_count_ - 1, in_subgroup_});
  help_lines_.push_back({HelpLine::Kind::Option, {}, options_.size() - 1});
}

void CommandLine::set_option_columns(std::size_t long_width, std::size_t short_width) {
  long_width_ = long_width;
  short_width_ = short_width;
}

void CommandLine::set_param_column(std::size_t width) { param_width_ = width; }

std::optional<std::size_t> CommandLine::find_option(std::string_view name) const {
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if (options_[i].long_name == name ||
        (!options_[i].short_name.empty() && options_[i].short_name == name)) {
      return i;
    }
  }
  return std::nullopt;
}

std::string CommandLine::header_text() const {
  return banner_ + "\n\n" + program_ + ": " + description_ + "\n";
}

std::string CommandLine::usage_text() const {
  std::string usage = "usage: " + program_;
  if (!options_.empty()) usage += " [options]";
  for (const Parameter& parameter : parameters_) {
    switch (parameter.cardinality) {
      case Cardinality::One:
        usage += " " + parameter.name;
        break;
      case Cardinality::Optional:
        usage += " [" + parameter.name + "]";
        break;
      case Cardinality::OneOrMore:
        usage += " " + parameter.name + "...";
        break;
      case Cardinality::ZeroOrMore:
        usage += " [" + parameter.name + "...]";
        break;
    }
  }
  return usage + "\n";
}

std::string CommandLine::help_text() const {
  // Column model (measured on DCMTK's programs): short names start at 2 (group) or 4
  // (subgroup); long names start at base + S + 2, where base is 4 if any subgroup exists, else
  // 2, and S the short column width; descriptions start L + 2 further. S and L are fixed by
  // set_option_columns() or are the longest names; a block whose names do not fit widens alone.
  std::size_t max_short = 0;
  std::size_t max_long = 0;
  std::vector<std::size_t> block_short(block_count_, 0);
  std::vector<std::size_t> block_long(block_count_, 0);
  for (const Option& option : options_) {
    max_short = std::max(max_short, option.short_name.size());
    max_long = std::max(max_long, option.long_name.size());
    block_short[option.block] = std::max(block_short[option.block], option.short_name.size());
    block_long[option.block] = std::max(block_long[option.block], option.long_name.size());
  }
  const std::size_t short_width = short_width_.value_or(max_short);
  const std::size_t long_width = long_width_.value_or(max_long);
  const std::size_t base = has_subgroups_ ? 4 : 2;
  const std::size_t description_column = base + short_width + 2 + long_width + 2;

  std::string text = header_text() + usage_text() + "\n";

  if (!parameters_.empty()) {
    std::size_t name_width = 0;
    for (const Parameter& parameter : parameters_) {
      name_width = std::max(name_width, parameter.name.size());
    }
    if (param_width_) {
      name_width = std::max(name_width, *param_width_);
    } else if (!options_.empty()) {
      name_width = std::max(name_width, description_column - 4);
    }
    text += "parameters:\n";
    for (const Parameter& parameter : parameters_) {
      const std::vector<std::string_view> lines = split_lines(parameter.description);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string line = "  ";
        if (i == 0) line += parameter.name;
        pad_to(line, 2 + name_width + 2);
        line += lines[i];
        text += line + "\n";
      }
    }
    if (!options_.empty()) text += "\n";
  }

  for (const HelpLine& help_line : help_lines_) {
    switch (help_line.kind) {
      case HelpLine::Kind::Group:
        text += help_line.title + "\n";
        continue;
      case HelpLine::Kind::Subgroup:
        text += "  " + help_line.title + "\n";
        continue;
      case HelpLine::Kind::Option:
        break;
    }
    const Option& option = options_[help_line.option];
    const std::size_t block_short_width = std::max(short_width, block_short[option.block]);
    const std::size_t block_long_width = std::max(long_width, block_long[option.block]);
    const std::size_t long_column = base + block_short_width + 2;
    const std::size_t text_column = long_column + block_long_width + 2;
    std::string line(option.in_subgroup ? 4 : 2, ' ');
    line += option.short_name;
    pad_to(line, long_column);
    line += option.long_name;
    const std::vector<std::string_view> lines = split_lines(option.description);
    // Descriptions are kept verbatim, including the odd trailing space DCMTK has; only the
    // alignment padding is left out when there is no description.
    if (!lines.front().empty()) {
      pad_to(line, text_column);
      line += lines.front();
    }
    text += line + "\n";
    for (std::size_t i = 1; i < lines.size(); ++i) {
      text += std::string(text_column, ' ') + std::string(lines[i]) + "\n";
    }
  }
  if (!options_.empty()) text += "\n";
  return text;
}

std::string CommandLine::version_text() const {
  std::string text = header_text();
  if (!version_details_.empty()) text += "\n" + version_details_;
  return text;
}

std::string CommandLine::error_text(std::string_view message) const {
  return header_text() + "error: " + std::string(message) + "\n";
}

std::vector<std::string> CommandLine::split_command_file(std::string_view text) {
  std::vector<std::string> arguments;
  std::string current;
  bool in_argument = false;
  char quote = 0;
  for (const char c : text) {
    if (quote != 0) {
      if (c == quote) {
        // DCMTK ends the argument at the closing quote: "ab"cd gives "ab" and "cd".
        arguments.push_back(std::move(current));
        current.clear();
        in_argument = false;
        quote = 0;
      } else {
        current += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_argument = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      if (in_argument) {
        arguments.push_back(std::move(current));
        current.clear();
        in_argument = false;
      }
    } else {
      current += c;
      in_argument = true;
    }
  }
  if (in_argument) arguments.push_back(std::move(current));
  return arguments;
}

Result<std::vector<std::string>> CommandLine::expand_command_files(
    std::span<const std::string> arguments) {
  std::vector<std::string> expanded;
  expanded.reserve(arguments.size());
  for (const std::string& argument : arguments) {
    if (argument.size() < 2 || argument.front() != '@') {
      expanded.push_back(argument);
      continue;
    }
    const std::string path = argument.substr(1);
    std::ifstream file(path, std::ios::binary);
    std::error_code ec;
    const bool is_directory = std::filesystem::is_directory(path, ec);
    if (!file || is_directory) {
      return Error(ErrorCode::IoError, "Cannot open command file '" + path + "'");
    }
    std::string contents;
    std::array<char, 4096> buffer{};
    while (file.read(buffer.data(), buffer.size()) || file.gcount() > 0) {
      contents.append(buffer.data(), static_cast<std::size_t>(file.gcount()));
      if (contents.size() > kMaxCommandFileSize) {
        return Error(ErrorCode::LimitExceeded, "Command file '" + path + "' is too large");
      }
    }
    if (file.bad()) {
      return Error(ErrorCode::IoError, "Cannot read command file '" + path + "'");
    }
    std::vector<std::string> from_file = split_command_file(contents);
    std::move(from_file.begin(), from_file.end(), std::back_inserter(expanded));
  }
  return expanded;
}

Result<ParsedCommandLine> CommandLine::parse(std::span<const std::string> arguments) const {
  DCMKIT_ASSIGN_OR_RETURN(std::vector<std::string> expanded, expand_command_files(arguments));

  ParsedCommandLine parsed;
  parsed.program_ = program_;
  parsed.options_.reserve(options_.size());
  for (const Option& option : options_) {
    parsed.options_.push_back({option.short_name, option.long_name});
  }

  bool exclusive = false;
  for (std::size_t i = 0; i < expanded.size(); ++i) {
    const std::string& argument = expanded[i];
    const std::optional<std::size_t> index = find_option(argument);
    if (!index) {
      if (looks_like_option(argument)) {
        return Error(ErrorCode::InvalidArgument, "Unknown option " + argument);
      }
      parsed.params_.push_back(argument);
      parsed.canonical_arguments_.push_back(argument);
      continue;
    }
    const Option& option = options_[*index];
    const auto value_count = static_cast<std::size_t>(option.value_count);
    if (expanded.size() - i - 1 < value_count) {
      return Error(ErrorCode::InvalidArgument, "Missing value for option " + option.long_name);
    }
    ParsedCommandLine::Occurrence occurrence;
    occurrence.option = *index;
    parsed.canonical_arguments_.push_back(option.long_name);
    for (std::size_t v = 0; v < value_count; ++v) {
      occurrence.values.push_back(expanded[i + 1 + v]);
      parsed.canonical_arguments_.push_back(expanded[i + 1 + v]);
    }
    i += value_count;
    exclusive = exclusive || option.kind == OptionKind::Exclusive;
    parsed.occurrences_.push_back(std::move(occurrence));
  }

  if (!exclusive) {
    std::vector<const Parameter*> mandatory;
    bool unbounded = false;
    std::size_t maximum = 0;
    for (const Parameter& parameter : parameters_) {
      if (parameter.cardinality == Cardinality::One ||
          parameter.cardinality == Cardinality::OneOrMore) {
        mandatory.push_back(&parameter);
      }
      if (parameter.cardinality == Cardinality::One ||
          parameter.cardinality == Cardinality::Optional) {
        ++maximum;
      } else {
        unbounded = true;
      }
    }
    const std::size_t given = parsed.params_.size();
    if (given < mandatory.size()) {
      // DCMTK names the mandatory parameter at position `given`: "Missing parameter port" for
      // "peer port", "Missing parameter dcmfile-out" for "imgfile-in... dcmfile-out".
      return Error(ErrorCode::InvalidArgument, "Missing parameter " + mandatory[given]->name);
    }
    if (!unbounded && given > maximum) {
      return Error(ErrorCode::InvalidArgument, "Too many parameters");
    }
  }

  parsed.arguments_ = std::move(expanded);
  return parsed;
}

ParseOutcome CommandLine::process(int argc, const char* const* argv, std::ostream& out,
                                  std::ostream& err) const {
  std::vector<std::string> arguments;
  for (int i = 1; i < argc; ++i) arguments.emplace_back(argv[i]);

  const bool has_mandatory =
      std::any_of(parameters_.begin(), parameters_.end(), [](const Parameter& p) {
        return p.cardinality == Cardinality::One || p.cardinality == Cardinality::OneOrMore;
      });
  ParseOutcome outcome;
  if (arguments.empty() && has_mandatory) {
    out << help_text() << std::flush;
    outcome.exit_code = kExitNoError;
    return outcome;
  }

  Result<ParsedCommandLine> parsed = parse(arguments);
  if (!parsed) {
    err << error_text(parsed.error().message()) << std::flush;
    outcome.exit_code = kExitCommandLineSyntaxError;
    return outcome;
  }
  // DCMTK checks --help before --version, whatever their order on the command line.
  if (find_option("--help") && parsed->has("--help")) {
    out << help_text() << std::flush;
    outcome.exit_code = kExitNoError;
    return outcome;
  }
  if (find_option("--version") && parsed->has("--version")) {
    out << version_text() << std::flush;
    outcome.exit_code = kExitNoError;
    return outcome;
  }
  outcome.args = std::move(parsed).value();
  return outcome;
}

ParseOutcome CommandLine::process(int argc, const char* const* argv) const {
  return process(argc, argv, std::cout, std::cerr);
}

}  // namespace dcmkit::ofstd
