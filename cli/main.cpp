// main.cpp - `splinescope`, the command-line face of the engine: dispatch to a verb, report errors.
//
// Exit codes: 0 success, 1 the work failed (missing file, malformed JSON, divergence), 2 the
// command line is wrong (unknown verb or option, bad value). Errors go to standard error as
// `splinescope VERB: message`.
#include "verbs.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#ifndef SPLINESCOPE_VERSION
#define SPLINESCOPE_VERSION "unknown"
#endif

namespace splinescope::cli {
namespace {

// Every verb; `splinescope --help` lists them in this order.
const std::vector<const Verb*>& verbs() {
  static const std::vector<const Verb*> table = {&train_verb(), &eval_verb(), &codes_verb(),
                                                       &tiles_verb(), &count_verb(), &slice_verb(),
                                                       &image_asset_verb()};
  return table;
}

const Verb* find_verb(const std::string& name) {
  for (const Verb* v : verbs())
    if (v->name == name) return v;
  return nullptr;
}

std::string verb_names() {
  std::vector<std::string> names;
  for (const Verb* v : verbs()) names.push_back(v->name);
  return join(names);
}

std::string general_help() {
  std::string s = "usage: splinescope VERB [options]\n\n"
                  "Train small piecewise-linear networks on datasets in the plane or on a line "
                  "and inspect their activation regions.\n\nverbs:\n";
  std::size_t width = 0;
  for (const Verb* v : verbs()) width = std::max(width, v->name.size());
  for (const Verb* v : verbs())
    s += "  " + v->name + std::string(width - v->name.size() + 2, ' ') + v->summary + "\n";
  s += "\n`splinescope VERB --help` describes a verb's options.\n"
       "`splinescope --version` prints the version.\n";
  return s;
}

int usage_error(const std::string& prefix, const std::string& message, const std::string& help) {
  std::fprintf(stderr, "%s: %s\nsee `%s`\n", prefix.c_str(), message.c_str(), help.c_str());
  return kExitUsage;
}

int run(int argc, char** argv) {
  std::vector<std::string> rest(argv + std::min(argc, 2), argv + argc);
  if (argc < 2)
    return usage_error("splinescope", "missing verb (one of: " + verb_names() + ")",
                       "splinescope --help");
  const std::string first = argv[1];
  if (first == "-h" || first == "--help") {
    std::fputs(general_help().c_str(), stdout);
    return kExitOk;
  }
  if (first == "--version") {
    std::printf("splinescope %s\n", SPLINESCOPE_VERSION);
    return kExitOk;
  }
  if (first == "help") {
    if (rest.empty()) {
      std::fputs(general_help().c_str(), stdout);
      return kExitOk;
    }
    const Verb* v = find_verb(rest[0]);
    if (!v)
      return usage_error("splinescope",
                         "unknown verb \"" + rest[0] + "\" (verbs: " + verb_names() + ")",
                         "splinescope --help");
    std::fputs(help_text(*v).c_str(), stdout);
    return kExitOk;
  }
  const Verb* verb = find_verb(first);
  if (!verb)
    return usage_error("splinescope",
                       "unknown verb \"" + first + "\" (verbs: " + verb_names() + ")",
                       "splinescope --help");
  const std::string prefix = "splinescope " + verb->name;
  try {
    const Args args = parse_args(*verb, rest);
    if (args.help_requested()) {
      std::fputs(help_text(*verb).c_str(), stdout);
      return kExitOk;
    }
    return verb->run(args);
  } catch (const UsageError& e) {
    return usage_error(prefix, e.what(), prefix + " --help");
  } catch (const RuntimeError& e) {
    std::fprintf(stderr, "%s: error: %s\n", prefix.c_str(), e.what());
    return kExitRuntime;
  } catch (const std::exception& e) {
    // Engine exceptions that escaped a verb (std::invalid_argument, std::bad_alloc, ...).
    std::fprintf(stderr, "%s: error: %s\n", prefix.c_str(), e.what());
    return kExitRuntime;
  }
}

} // namespace
} // namespace splinescope::cli

int main(int argc, char** argv) {
  return splinescope::cli::run(argc, argv);
}
