// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/association_profile.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "dcmkit/dcmdata/dictionary.h"

namespace dcmkit::dcmnet {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

struct Entry {
  std::string key;  // upper case
  std::string value;
  std::size_t line = 0;
};

// [[Group]] -> [Section] -> entries, names upper case.
using Sections = std::map<std::string, std::map<std::string, std::vector<Entry>>>;

Error malformed(std::size_t line, const std::string& what) {
  return Error(ErrorCode::MalformedData, "line " + std::to_string(line) + ": " + what);
}

Result<Sections> parse_sections(std::string_view text) {
  Sections sections;
  std::string group;
  std::string section;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("[[")) {
      if (!line.ends_with("]]") || line.size() < 5) return malformed(line_number, "bad group");
      group = upper(trim(line.substr(2, line.size() - 4)));
      section.clear();
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) return malformed(line_number, "bad section");
      if (group.empty()) return malformed(line_number, "section outside of a [[group]]");
      section = upper(trim(line.substr(1, line.size() - 2)));
      sections[group][section];
      continue;
    }
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      return malformed(line_number, "expected 'key = value': " + std::string(line));
    }
    if (section.empty()) return malformed(line_number, "entry outside of a [section]");
    sections[group][section].push_back({upper(trim(line.substr(0, equals))),
                                        std::string(trim(line.substr(equals + 1))), line_number});
  }
  return sections;
}

// The values of the numbered keys <prefix>1, <prefix>2, ... of a section, in number order.
Result<std::vector<const Entry*>> numbered(const std::vector<Entry>& entries,
                                           std::string_view prefix) {
  std::vector<std::pair<unsigned long, const Entry*>> found;
  for (const Entry& e : entries) {
    if (!e.key.starts_with(prefix) || e.key.size() == prefix.size() ||
        !std::all_of(e.key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), e.key.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) ||
        e.key.size() - prefix.size() > 6) {
      return malformed(e.line,
                       "unexpected key " + e.key + " (expected " + std::string(prefix) + "<n>)");
    }
    found.emplace_back(std::stoul(e.key.substr(prefix.size())), &e);
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Entry*> out;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0 && found[i].first == found[i - 1].first) {
      return malformed(found[i].second->line, "duplicate key " + found[i].second->key);
    }
    out.push_back(found[i].second);
  }
  return out;
}

const std::vector<Entry>* find_section(const Sections& sections, const std::string& group,
                                       const std::string& name) {
  const auto g = sections.find(group);
  if (g == sections.end()) return nullptr;
  const auto s = g->second.find(upper(name));
  return s == g->second.end() ? nullptr : &s->second;
}

Result<std::string> resolve(const Entry& e, std::string_view name) {
  auto uid = uid_from_profile_name(name);
  if (!uid) return malformed(e.line, uid.error().message());
  return uid;
}

}  // namespace

Result<std::string> uid_from_profile_name(std::string_view name) {
  name = trim(name);
  if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return std::string(name);
  }
  // DCMTK's names for the explicit VR syntaxes in this machine's byte order (little endian).
  if (name == "LocalEndianExplicit") return std::string("1.2.840.10008.1.2.1");
  if (name == "OppositeEndianExplicit") return std::string("1.2.840.10008.1.2.2");
  for (const dcmdata::UidEntry& entry : dcmdata::all_uid_entries()) {
    if (dcmdata::dcmtk_uid_name(entry.uid) == name) return std::string(entry.uid);
  }
  if (const dcmdata::UidEntry* entry = dcmdata::lookup_uid_keyword(name)) {
    return std::string(entry->uid);
  }
  return Error(ErrorCode::NotFound, "unknown UID name '" + std::string(name) + "'");
}

Result<AssociationProfile> parse_association_profile(std::string_view text,
                                                     std::string_view profile) {
  DCMKIT_ASSIGN_OR_RETURN(const Sections sections, parse_sections(text));
  const std::vector<Entry>* entries = find_section(sections, "PROFILES", std::string(profile));
  if (entries == nullptr) {
    return Error(ErrorCode::NotFound, "no profile '" + std::string(profile) + "' in [[Profiles]]");
  }
  AssociationProfile out;
  out.name = std::string(profile);
  std::string contexts_name;
  std::string roles_name;
  std::string extended_name;
  for (const Entry& e : *entries) {
    if (e.key == "PRESENTATIONCONTEXTS") {
      contexts_name = e.value;
    } else if (e.key == "SCPSCUROLESELECTION") {
      roles_name = e.value;
    } else if (e.key == "EXTENDEDNEGOTIATION") {
      extended_name = e.value;
    } else {
      return malformed(e.line, "unknown profile key " + e.key);
    }
  }
  if (contexts_name.empty()) {
    return Error(ErrorCode::MalformedData,
                 "profile '" + std::string(profile) + "' names no PresentationContexts");
  }
  const std::vector<Entry>* contexts =
      find_section(sections, "PRESENTATIONCONTEXTS", contexts_name);
  if (contexts == nullptr) {
    return Error(ErrorCode::NotFound, "no presentation context list '" + contexts_name +
                                          "' in [[PresentationContexts]]");
  }
  DCMKIT_ASSIGN_OR_RETURN(const auto context_entries, numbered(*contexts, "PRESENTATIONCONTEXT"));
  for (const Entry* e : context_entries) {
    const std::size_t slash = e->value.find('\\');
    if (slash == std::string::npos) {
      return malformed(e->line, "expected 'abstract syntax\\transfer syntax list'");
    }
    ProfileContext context;
    DCMKIT_ASSIGN_OR_RETURN(context.abstract_syntax,
                            resolve(*e, std::string_view(e->value).substr(0, slash)));
    const std::string list = std::string(trim(std::string_view(e->value).substr(slash + 1)));
    const std::vector<Entry>* syntaxes = find_section(sections, "TRANSFERSYNTAXES", list);
    if (syntaxes == nullptr) {
      return malformed(e->line, "no transfer syntax list '" + list + "' in [[TransferSyntaxes]]");
    }
    DCMKIT_ASSIGN_OR_RETURN(const auto ts_entries, numbered(*syntaxes, "TRANSFERSYNTAX"));
    if (ts_entries.empty())
      return malformed(e->line, "transfer syntax list '" + list + "' is empty");
    for (const Entry* ts : ts_entries) {
      DCMKIT_ASSIGN_OR_RETURN(std::string uid, resolve(*ts, ts->value));
      context.transfer_syntaxes.push_back(std::move(uid));
    }
    out.contexts.push_back(std::move(context));
  }
  if (out.contexts.empty()) {
    return Error(ErrorCode::MalformedData,
                 "presentation context list '" + contexts_name + "' is empty");
  }
  if (!roles_name.empty()) {
    const std::vector<Entry>* roles = find_section(sections, "SCPSCUROLESELECTION", roles_name);
    if (roles == nullptr) {
      return Error(ErrorCode::NotFound,
                   "no role selection list '" + roles_name + "' in [[SCPSCURoleSelection]]");
    }
    DCMKIT_ASSIGN_OR_RETURN(const auto role_entries, numbered(*roles, "ROLE"));
    for (const Entry* e : role_entries) {
      const std::size_t slash = e->value.find('\\');
      if (slash == std::string::npos) return malformed(e->line, "expected 'SOP class\\role'");
      RoleSelection role;
      DCMKIT_ASSIGN_OR_RETURN(role.sop_class_uid,
                              resolve(*e, std::string_view(e->value).substr(0, slash)));
      const std::string which = upper(trim(std::string_view(e->value).substr(slash + 1)));
      role.scu_role = which == "SCU" || which == "BOTH";
      role.scp_role = which == "SCP" || which == "BOTH";
      if (!role.scu_role && !role.scp_role) {
        return malformed(e->line, "role must be SCU, SCP or BOTH, not '" + which + "'");
      }
      out.roles.push_back(std::move(role));
    }
  }
  if (!extended_name.empty()) {
    const std::vector<Entry>* list = find_section(sections, "EXTENDEDNEGOTIATION", extended_name);
    if (list == nullptr) {
      return Error(ErrorCode::NotFound, "no extended negotiation list '" + extended_name +
                                            "' in [[ExtendedNegotiation]]");
    }
    DCMKIT_ASSIGN_OR_RETURN(const auto entries_found, numbered(*list, "EXTENDEDNEGOTIATION"));
    for (const Entry* e : entries_found) {
      const std::size_t slash = e->value.find('\\');
      if (slash == std::string::npos) {
        return malformed(e->line, "expected 'SOP class\\hexadecimal bytes'");
      }
      ExtendedNegotiation item;
      DCMKIT_ASSIGN_OR_RETURN(item.sop_class_uid,
                              resolve(*e, std::string_view(e->value).substr(0, slash)));
      // The service class application information as pairs of hexadecimal digits ("0102ff").
      const std::string_view hex = trim(std::string_view(e->value).substr(slash + 1));
      const auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      if (hex.empty() || hex.size() % 2 != 0 ||
          !std::all_of(hex.begin(), hex.end(), [&](char c) { return digit(c) >= 0; })) {
        return malformed(e->line,
                         "extended negotiation data must be pairs of hexadecimal "
                         "digits, not '" +
                             std::string(hex) + "'");
      }
      for (std::size_t i = 0; i < hex.size(); i += 2) {
        item.application_info.push_back(
            static_cast<std::byte>(digit(hex[i]) * 16 + digit(hex[i + 1])));
      }
      const bool repeated =
          std::any_of(out.extended_negotiation.begin(), out.extended_negotiation.end(),
                      [&](const ExtendedNegotiation& other) {
                        return other.sop_class_uid == item.sop_class_uid;
                      });
      if (repeated) {
        // PS3.7 §D.3.3.5: one sub-item per SOP class.
        return malformed(e->line, "second extended negotiation for " + item.sop_class_uid);
      }
      out.extended_negotiation.push_back(std::move(item));
    }
  }
  return out;
}

Result<AssociationProfile> load_association_profile(const std::string& path,
                                                    std::string_view profile) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::IoError, "cannot read configuration file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_association_profile(text.str(), profile);
  if (!parsed) return Error(parsed.error().code(), path + ": " + parsed.error().message());
  return parsed;
}

}  // namespace dcmkit::dcmnet
