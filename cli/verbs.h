// verbs.h - the verbs of the `splinescope` command and the helpers they share.
//
// Adding a verb: write cli/verb_NAME.cpp defining `const Verb& NAME_verb()` (its option table and
// run function), declare it below and add it to the table in main.cpp. Parsing, --help and the
// exit codes come for free.
#pragma once

#include "args.h"

#include "datasets.h"
#include "network.h"
#include "serialize.h"
#include "session.h"
#include "train.h"

#include <optional>
#include <string>
#include <vector>

namespace splinescope::cli {

// -----------------------------------------------------------------------------------------------
// [SECTION] Verbs, in the order `splinescope --help` lists them
// -----------------------------------------------------------------------------------------------

const Verb& train_verb();
const Verb& eval_verb();
const Verb& codes_verb();
const Verb& tiles_verb();
const Verb& count_verb();
const Verb& slice_verb();
const Verb& image_asset_verb();

// -----------------------------------------------------------------------------------------------
// [SECTION] Shared option groups
// -----------------------------------------------------------------------------------------------

// --dataset --n --noise --classes --train-fraction (not --seed: its meaning differs per verb).
std::vector<Option> dataset_options();
// `spec` with the dataset options that were given applied, validated; UsageError when invalid.
DatasetSpec apply_dataset_options(const Args& args, DatasetSpec spec);

// The dataset of a spec, split; UsageError when the spec is invalid.
Split make_split_or_throw(const DatasetSpec& spec);

// The config as the app's Session runs it: the one seed in the data and training sections, one
// input per coordinate of the data (2 in the plane, 1 on the line) and the outputs the dataset
// needs (1 for binary and regression, C for C classes).
SessionConfig effective(SessionConfig config);

// -----------------------------------------------------------------------------------------------
// [SECTION] Image data (Fashion-MNIST, read from its IDX files)
// -----------------------------------------------------------------------------------------------

// The --dataset name of the images: not a generated dataset, so it is not in dataset_registry().
constexpr const char* kImageDataset = "fashion-mnist";

// --dataset fashion-mnist was given.
bool wants_images(const Args& args);
// --data-dir --train-images --test-images
std::vector<Option> image_options();
// UsageError for the first of these options that was given (the generated data's options).
void refuse_with_images(const Args& args, const std::vector<std::string>& options);
// UsageError for the first of these image options that was given with generated data.
void refuse_without_images(const Args& args, const std::vector<std::string>& options);

struct ImageData {
  Split split;  // the published split, or the first --train-images / --test-images of each half
  int rows = 0; // image size in pixels: the network has rows * cols inputs
  int cols = 0;
};
// The images the options name; RuntimeError naming the file when one is missing or malformed.
ImageData load_image_data(const Args& args);

// -----------------------------------------------------------------------------------------------
// [SECTION] Files
// -----------------------------------------------------------------------------------------------

// A network read from a network document, or from a session document that holds weights (the
// session then comes along, for its dataset and loss). RuntimeError naming the file otherwise.
struct LoadedModel {
  Network net;
  std::optional<SessionDocument> session;
};
LoadedModel load_model(const std::string& path);
SessionDocument load_session(const std::string& path);             // RuntimeError naming the file
void write_file(const std::string& path, const std::string& text); // RuntimeError on failure

// -----------------------------------------------------------------------------------------------
// [SECTION] Output
// -----------------------------------------------------------------------------------------------

// "train loss 0.0812 accuracy 0.9875"; regression has no accuracy; an empty set says "empty".
std::string metrics_line(const std::string& label, const Metrics& m);
// "2-16-16-1 relu" (per-layer activations joined by commas when they differ).
std::string describe_network(const Network& net);
// Comma-separated names, for messages.
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");
// The names to_string gives every value of an enum, comma-separated: "relu, leaky_relu, ...".
template <class Enum> std::string names_of() {
  return join(enum_names<Enum>());
}

} // namespace splinescope::cli
