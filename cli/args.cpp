// args.cpp - parsing, typed getters and help text of the table-driven argument parser.
#include "args.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace splinescope::cli {

namespace {

const Option* find_option(const Verb& verb, const std::string& name) {
  for (const Option& o : verb.options)
    if (o.name == name) return &o;
  return nullptr;
}

// Levenshtein distance, for "did you mean --layers?".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(const Verb& verb, const std::string& name) {
  // An abbreviation ("--lay" for "--layers") is not accepted, but it is pointed at.
  for (const Option& o : verb.options)
    if (name.size() >= 2 && o.name.rfind(name, 0) == 0) return " (did you mean --" + o.name + "?)";
  const Option* best = nullptr;
  std::size_t best_distance = 3; // more than 2 edits away is not a typo
  for (const Option& o : verb.options) {
    const std::size_t d = edit_distance(name, o.name);
    if (d < best_distance) best = &o, best_distance = d;
  }
  return best ? " (did you mean --" + best->name + "?)" : "";
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, ',')) parts.push_back(part);
  if (!s.empty() && s.back() == ',') parts.emplace_back();
  return parts;
}

bool parse_long(const std::string& s, long long* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

bool parse_double(const std::string& s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

std::string format_number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Parsing
// -----------------------------------------------------------------------------------------------

Args parse_args(const Verb& verb, const std::vector<std::string>& argv) {
  Args args;
  args.verb_ = &verb;
  for (const std::string& a : argv)
    if (a == "-h" || a == "--help") {
      args.help_ = true;
      return args;
    }
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      args.positionals_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a[1] != '-') throw UsageError("unknown option " + a + " (options start with --)");
    const auto eq = a.find('=');
    const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const Option* option = find_option(verb, name);
    if (!option) throw UsageError("unknown option --" + name + suggestion(verb, name));
    if (option->value_name.empty()) {
      if (eq != std::string::npos) throw UsageError("--" + name + " takes no value");
      args.values_[name] = "";
    } else if (eq != std::string::npos) {
      args.values_[name] = a.substr(eq + 1);
    } else {
      if (i + 1 >= argv.size())
        throw UsageError("--" + name + " needs a value (" + option->value_name + ")");
      args.values_[name] = argv[++i];
    }
  }
  const int n = static_cast<int>(args.positionals_.size());
  if (n < verb.min_positionals)
    throw UsageError("missing argument: usage: splinescope " + verb.synopsis);
  if (n > verb.max_positionals)
    throw UsageError("unexpected argument " + quoted(args.positionals_[verb.max_positionals]) +
                     " (usage: splinescope " + verb.synopsis + ")");
  return args;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Typed getters
// -----------------------------------------------------------------------------------------------

const std::string* Args::value(const std::string& name) const {
  if (!find_option(*verb_, name))
    throw std::logic_error("option --" + name + " is not declared by verb " + verb_->name);
  const auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

bool Args::has(const std::string& name) const {
  return value(name) != nullptr;
}

bool Args::flag(const std::string& name) const {
  return has(name);
}

std::string Args::text(const std::string& name, const std::string& fallback) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  if (v->empty()) throw UsageError("--" + name + ": the value is empty");
  return *v;
}

int Args::integer(const std::string& name, int fallback, int lo, int hi) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  long long x = 0;
  if (!parse_long(*v, &x))
    throw UsageError("--" + name + ": expected an integer, got " + quoted(*v));
  if (x < lo || x > hi)
    throw UsageError("--" + name + ": must be between " + std::to_string(lo) + " and " +
                     std::to_string(hi) + ", got " + *v);
  return static_cast<int>(x);
}

std::uint64_t Args::seed(const std::string& name, std::uint64_t fallback) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  const bool digits =
      !v->empty() && v->size() <= 20 &&
      std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
  errno = 0;
  char* end = nullptr;
  const unsigned long long x = digits ? std::strtoull(v->c_str(), &end, 10) : 0;
  if (!digits || errno != 0 || *end != '\0')
    throw UsageError("--" + name +
                     ": expected an integer between 0 and 18446744073709551615, got " + quoted(*v));
  return x;
}

double Args::number(const std::string& name, double fallback, double lo, double hi) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  double x = 0;
  if (!parse_double(*v, &x))
    throw UsageError("--" + name + ": expected a number, got " + quoted(*v));
  if (x < lo || x > hi)
    throw UsageError("--" + name + ": must be between " + format_number(lo) + " and " +
                     format_number(hi) + ", got " + *v);
  return x;
}

std::vector<int> Args::integers(const std::string& name, const std::vector<int>& fallback, int lo,
                                int hi, int max_count) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  const std::vector<std::string> parts = split_commas(*v);
  if (parts.empty()) throw UsageError("--" + name + ": the value is empty");
  if (static_cast<int>(parts.size()) > max_count)
    throw UsageError("--" + name + ": at most " + std::to_string(max_count) + " values, got " +
                     std::to_string(parts.size()));
  std::vector<int> out;
  for (const std::string& p : parts) {
    long long x = 0;
    if (!parse_long(p, &x))
      throw UsageError("--" + name + ": expected comma-separated integers, got " + quoted(*v));
    if (x < lo || x > hi)
      throw UsageError("--" + name + ": each value must be between " + std::to_string(lo) +
                       " and " + std::to_string(hi) + ", got " + p);
    out.push_back(static_cast<int>(x));
  }
  return out;
}

std::vector<double> Args::numbers(const std::string& name, const std::vector<double>& fallback,
                                  int count) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  const std::vector<std::string> parts = split_commas(*v);
  std::vector<double> out;
  for (const std::string& p : parts) {
    double x = 0;
    if (!parse_double(p, &x)) {
      out.clear();
      break;
    }
    out.push_back(x);
  }
  if (static_cast<int>(out.size()) != count || static_cast<int>(parts.size()) != count)
    throw UsageError("--" + name + ": expected " + std::to_string(count) +
                     " comma-separated numbers, got " + quoted(*v));
  return out;
}

std::vector<std::string> Args::words(const std::string& name,
                                     const std::vector<std::string>& fallback,
                                     int max_count) const {
  const std::string* v = value(name);
  if (!v) return fallback;
  const std::vector<std::string> parts = split_commas(*v);
  if (parts.empty()) throw UsageError("--" + name + ": the value is empty");
  if (static_cast<int>(parts.size()) > max_count)
    throw UsageError("--" + name + ": at most " + std::to_string(max_count) + " values, got " +
                     std::to_string(parts.size()));
  for (const std::string& p : parts)
    if (p.empty()) throw UsageError("--" + name + ": empty entry in " + quoted(*v));
  return parts;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Help
// -----------------------------------------------------------------------------------------------

std::string help_text(const Verb& verb) {
  std::ostringstream s;
  s << "usage: splinescope " << verb.synopsis << "\n\n" << verb.summary << "\n\noptions:\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Option& o : verb.options)
    rows.emplace_back("--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name), o.help);
  rows.emplace_back("-h, --help", "show this help");
  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  // Descriptions wrap at 100 columns, continuation lines under the description column.
  const std::size_t indent = width + 4, limit = std::max<std::size_t>(100, indent + 30);
  for (const auto& r : rows) {
    std::string line = "  " + r.first + std::string(width - r.first.size() + 2, ' ');
    std::istringstream words(r.second);
    std::string word;
    bool first_word = true;
    while (words >> word) {
      if (!first_word && line.size() + 1 + word.size() > limit) {
        s << line << "\n";
        line = std::string(indent, ' ');
        first_word = true;
      }
      line += (first_word ? "" : " ") + word;
      first_word = false;
    }
    s << line << "\n";
  }
  if (!verb.details.empty()) s << "\n" << verb.details << (verb.details.back() == '\n' ? "" : "\n");
  return s.str();
}

} // namespace splinescope::cli
