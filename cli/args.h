// args.h - the one command-line parser every verb of `splinescope` shares.
//
// A verb is a table: its name, a synopsis, the options it takes and a run function. Parsing, the
// --help text and the error messages all come from that table, so a new verb is one more table
// (see verbs.h) and nothing else.
//
// Syntax: `--name value`, `--name=value`, flags as `--name`, `-h`/`--help` anywhere, `--` ends the
// options. A value may start with '-' (`--window -3,3,-3,3`): an option that takes a value always
// takes the next argument.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace splinescope::cli {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1; // the arguments made sense but the work failed
constexpr int kExitUsage = 2;   // the arguments are wrong

// Bad arguments: printed with a pointer to --help, exit code kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The work failed (missing file, malformed JSON, divergence): exit code kExitRuntime.
struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Option {
  std::string name;       // "layers" for --layers
  std::string value_name; // shown in the help ("W1,W2,..."); empty for a flag, which takes no value
  std::string help;       // one line; ends with the default in brackets where there is one
};

class Args;

struct Verb {
  std::string name;
  std::string summary;  // one line for `splinescope --help`
  std::string synopsis; // after "usage: splinescope ", e.g. "eval NET.json [options]"
  std::string details;  // paragraphs printed after the options by --help; may be empty
  int min_positionals = 0;
  int max_positionals = 0;
  std::vector<Option> options;
  int (*run)(const Args& args) = nullptr; // returns the exit code; throws UsageError/RuntimeError
};

// Parsed arguments of one verb. The typed getters return the fallback when the option is absent
// and throw UsageError ("--lr: expected a number, got \"fast\"") when its value is malformed or out
// of range. Asking for an option the verb's table does not declare is a programming error
// (std::logic_error), so tables and code cannot drift apart silently.
class Args {
public:
  const Verb& verb() const { return *verb_; }
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool help_requested() const { return help_; }

  bool has(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::string text(const std::string& name, const std::string& fallback) const;
  int integer(const std::string& name, int fallback, int lo, int hi) const;
  std::uint64_t seed(const std::string& name, std::uint64_t fallback) const;
  double number(const std::string& name, double fallback, double lo, double hi) const;
  // Comma-separated integers, each in [lo, hi], between 1 and max_count of them.
  std::vector<int> integers(const std::string& name, const std::vector<int>& fallback, int lo,
                            int hi, int max_count) const;
  // Exactly `count` comma-separated finite numbers.
  std::vector<double> numbers(const std::string& name, const std::vector<double>& fallback,
                              int count) const;
  // Comma-separated words (no empty ones), between 1 and max_count of them.
  std::vector<std::string> words(const std::string& name, const std::vector<std::string>& fallback,
                                 int max_count) const;

private:
  friend Args parse_args(const Verb& verb, const std::vector<std::string>& argv);
  const std::string* value(const std::string& name) const; // nullptr when absent

  const Verb* verb_ = nullptr;
  std::map<std::string, std::string> values_; // the last occurrence wins
  std::vector<std::string> positionals_;
  bool help_ = false;
};

// Parses the arguments that follow the verb's name. Throws UsageError naming the offending
// argument (with a "did you mean" for a near miss) or the positional count problem. When -h or
// --help is present nothing else is checked.
Args parse_args(const Verb& verb, const std::vector<std::string>& argv);

// The --help text of a verb: usage line, summary, options table, details.
std::string help_text(const Verb& verb);

} // namespace splinescope::cli
