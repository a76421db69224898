// datasets.h - the toy datasets (a registry of seeded generators, in the plane and on the line),
// train/test splits, and points placed by hand with CSV import and export.
//
// Every generator draws all of its randomness from one splinescope::Rng seeded by the spec, so a
// spec names one dataset exactly. A generator's points have DatasetInfo::dims coordinates: 2 for
// the plane, 1 for the line (networks with one input). Before noise, every point lies within
// [-2.5, 2.5]^dims, so the app's default window [-3, 3] (per axis) shows all of them.
//
// Index
//   [SECTION] Registry
//   [SECTION] Specs, generation and splits
//   [SECTION] User points and CSV
#pragma once

#include "dataset.h"
#include "engine_limits.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Registry
// -----------------------------------------------------------------------------------------------

// One generator as the UI, CLI and URL state see it.
//
// Noise: for a classification generator, every point is moved by Gaussian jitter with standard
// deviation noise * noise_scale in each coordinate, where noise_scale is the generator's natural
// length (a moon's radius, a checkerboard cell, ...). For a regression generator, points are not
// moved; the targets (roughly in [-1, 1]) get additive Gaussian noise of standard deviation noise.
struct DatasetInfo {
  const char* name;        // id used in URLs, the CLI and JSON
  const char* description; // one line for the UI
  const char* noise_note;  // one line: what the noise parameter does for this generator
  bool regression;         // true: targets filled, classes = 0
  int default_classes;     // used when DatasetSpec::classes is 0; 0 for regression
  int min_classes;         // allowed class counts; 0 for regression
  int max_classes;
  double noise_scale; // classification: jitter stddev per unit of noise; regression: 1
  int dims;           // input dimension of its points: 2 (the plane), 1 (the line), or the
                      // pixels of an image dataset (784 for 28 x 28)
};

// All generators, in the order the UI lists them: the plane's (classification first, then
// regression), then the line's (classification first, then regression). A generator's dimension
// is find_dataset(name)->dims.
const std::vector<DatasetInfo>& dataset_registry();
// The generator with this name, or nullptr.
const DatasetInfo* find_dataset(const std::string& name);
// "moons, circles, ...": every valid name, for messages and help texts.
std::string dataset_names();

// -----------------------------------------------------------------------------------------------
// [SECTION] Specs, generation and splits
// -----------------------------------------------------------------------------------------------

// A generated dataset, fully determined by these fields. The defaults just work.
struct DatasetSpec {
  std::string name = "circles";
  int n = 200;                 // points in total, in [4, kMaxDatasetPoints]
  double noise = 0.1;          // in [0, 1]; meaning per generator, see DatasetInfo
  int classes = 2;             // classification: allowed range per generator, 0 = its default.
                               // Ignored by regression generators (their datasets have 0).
  double train_fraction = 0.8; // in [0.05, 1]; 1 leaves the test set empty
  std::uint64_t seed = 1;
};

// Empty when the spec is valid, otherwise a sentence naming the field and the reason.
std::string validate(const DatasetSpec& spec);

// The class count a valid spec produces: spec.classes, the generator's default when that is 0,
// or 0 for regression.
int resolved_classes(const DatasetSpec& spec);

// The dataset of a spec, points in a seeded random order. Classes are balanced: each has
// n / classes points, the first n % classes classes one more. Throws std::invalid_argument with
// validate()'s message when the spec is invalid.
Dataset generate(const DatasetSpec& spec);

// generate(spec) split by split_dataset with the spec's train fraction; the split's shuffle uses
// its own stream derived from the seed. Throws std::invalid_argument like generate().
Split make_split(const DatasetSpec& spec);

// Image datasets (DatasetInfo::dims > 2, image_data.h) are loaded, not generated: make_split()
// gives the split provided under their name (provide_images()), the published train/test split,
// whatever the spec's n, noise, train_fraction and seed; it throws until one is provided.
bool is_image_data(const std::string& name);
// make_split(spec) to share: image data's provided split itself (no copy of its tens of
// megabytes), a generated split in a pointer of its own. Throws like make_split().
std::shared_ptr<const Split> shared_split(const DatasetSpec& spec);
// "" when make_split(spec) has its data, otherwise why not ("the images of fashion-mnist have not
// been loaded yet").
std::string data_available(const DatasetSpec& spec);

// A seeded, stratified split: round(train_fraction * n) points go to train (at least one when
// n > 0), every class gets about its share, and every class with points is in train whenever
// train has room for one point per class. Train and test keep a seeded random order and are
// disjoint; together they are the whole dataset. Throws std::invalid_argument unless
// train_fraction is in [0.05, 1].
Split split_dataset(const Dataset& data, double train_fraction, std::uint64_t seed);

// -----------------------------------------------------------------------------------------------
// [SECTION] User points and CSV
// -----------------------------------------------------------------------------------------------

// One point placed by hand. label is used for classification (target is 0), target for regression
// (label is 0). A point on the line (a 1-D set) has x only; its y stays 0.
struct UserPoint {
  double x = 0.0;
  double y = 0.0; // 0 for a point on the line
  int label = 0;
  double target = 0.0;
};

// Outcome of a CSV import. On failure nothing was changed; line is the 1-based line of the first
// problem and error a sentence starting with "line N: ".
struct CsvResult {
  bool ok = true;
  std::string error; // empty when ok
  int line = 0;      // 1-based line of the problem; 0 when ok
  int rows = 0;      // points read (when ok)
};

enum class CsvImport {
  replace, // the file's points replace the current ones
  append   // the file's points are added after the current ones
};

// Points placed by hand: a classification set (labels in [0, classes)) or, with classes = 0, a
// regression set (targets), in the plane (dims = 2) or on the line (dims = 1). Every point stays
// finite and valid: operations that would break that return false (or an error) and change
// nothing.
//
// CSV: the format is
//     x,y,label          (the plane, classification; "x,y,target" for regression)
//     -1.25,0.5,1
//     x,label            (the line, classification; "x,target" for regression)
//     -1.25,1
// Import accepts an optional header (its first line of content, whose last column must say label
// or class for classification, target or value for regression), blank lines, '#' comments (a
// whole line or the rest of one), spaces around fields and CRLF line ends. Labels must be whole
// numbers in [0, classes). Import is all-or-nothing: the first malformed row (wrong column count
// for the set's dimension, not a number, NaN or infinite, bad label, too many points) is reported
// and the current points stay as they were.
class UserPoints {
public:
  // classes: 0 for regression, otherwise 2..kMaxOutputs; dims: 2 (the plane), 1 (the line), or
  // more for an image space, where no point is placed by hand (add() refuses). Throws
  // std::invalid_argument otherwise.
  explicit UserPoints(int classes = 2, int dims = 2);
  // The points of a dataset in the plane or on the line (labels or targets, its class count and
  // dimension; an empty dataset with no rows is taken as 2-D). Throws std::invalid_argument
  // unless data is 1-D or 2-D, within kMaxDatasetPoints and valid.
  static UserPoints from_dataset(const Dataset& data);

  int classes() const { return classes_; }
  int dims() const { return dims_; }
  bool is_regression() const { return classes_ == 0; }
  int size() const { return static_cast<int>(points_.size()); }
  bool empty() const { return points_.empty(); }
  const std::vector<UserPoint>& points() const { return points_; }

  // Add a point; value is the label (a whole number in [0, classes)) or the regression target.
  // On the line y is ignored (the point keeps y = 0). False, and nothing added, when a coordinate
  // or value is not finite, the label is out of range, or the set already holds kMaxDatasetPoints
  // points.
  bool add(double x, double y, double value);
  // Index of the point nearest to (x, y) within radius (Euclidean, inclusive; the lowest index on
  // a tie), or -1. On the line the distance is |x - point.x| (y is ignored).
  int nearest(double x, double y, double radius) const;
  // Remove the point nearest(x, y, radius); false when there is none. Later points move down one
  // index.
  bool remove_nearest(double x, double y, double radius);
  // Set the label (or target) of one point; false when index or value is invalid.
  bool relabel(int index, double value);
  void clear() { points_.clear(); }

  // The points as a Dataset: X (dims, n), labels or targets, and this set's class count.
  Dataset to_dataset() const;

  // Header line and one row per point, doubles printed with 17 significant digits so that import
  // gives back the same bits.
  std::string to_csv() const;
  CsvResult import_csv(const std::string& text, CsvImport mode = CsvImport::replace);

private:
  bool valid_value(double value) const;

  int classes_ = 2;
  int dims_ = 2;
  std::vector<UserPoint> points_;
};

// A dataset in the CSV format above ("x,y,..." in the plane, "x,..." on the line). Throws
// std::invalid_argument unless data is 1-D or 2-D.
std::string to_csv(const Dataset& data);

} // namespace splinescope
