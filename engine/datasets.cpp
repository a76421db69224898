// datasets.cpp - the toy dataset generators, stratified splits, and user points with CSV I/O.
#include "datasets.h"

#include "image_data.h"

#include "random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Generators
// -----------------------------------------------------------------------------------------------

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kHalfWidth = 2.5; // every clean point lies in [-kHalfWidth, kHalfWidth]^dims

struct Point2 {
  double x;
  double y; // 0 for a point on the line
};

// Clean geometry (before jitter) of one point of class cls out of classes. The line's samplers
// return y = 0.
using ClassSampler = Point2 (*)(int cls, int classes, Rng& rng);
// Noise-free target of a regression generator. The line's targets are called with y = 0 and
// ignore it.
using TargetFunction = double (*)(double x, double y);

// Two interleaved half circles of radius 1.5 (scikit-learn's moons, scaled by 1.5 and centred):
// class 0 is the upper arc around (-0.75, -0.375), class 1 the lower arc around (0.75, 0.375).
Point2 sample_moons(int cls, int, Rng& rng) {
  const double t = kPi * rng.uniform();
  if (cls == 0) return {-0.75 + 1.5 * std::cos(t), -0.375 + 1.5 * std::sin(t)};
  return {0.75 - 1.5 * std::cos(t), 0.375 - 1.5 * std::sin(t)};
}

// Class 0 uniform on the disk of radius 1.25, class 1 uniform on the ring 1.75 <= r <= 2.5: the
// square roots make the density uniform in area rather than crowding the centre.
Point2 sample_circles(int cls, int, Rng& rng) {
  const double u = rng.uniform();
  const double angle = 2.0 * kPi * rng.uniform();
  const double inner = 1.25, ring_lo = 1.75, ring_hi = 2.5;
  const double r = cls == 0
                       ? inner * std::sqrt(u)
                       : std::sqrt(ring_lo * ring_lo + u * (ring_hi * ring_hi - ring_lo * ring_lo));
  return {r * std::cos(angle), r * std::sin(angle)};
}

// Label 1 when x and y have different signs. Coordinates keep 0.1 away from the axes so that the
// clean label is never ambiguous.
Point2 sample_xor(int cls, int, Rng& rng) {
  const double a = rng.uniform(0.1, kHalfWidth);
  const double b = rng.uniform(0.1, kHalfWidth);
  const double s = rng.below(2) == 0 ? 1.0 : -1.0;
  return {s * a, cls == 0 ? s * b : -s * b};
}

// Blob k is centred at radius 1.8, angle pi/2 + 2 pi k / K, with a Gaussian of stddev 0.2 cut at
// 3 stddev: for K = 8 neighbouring centres are 1.38 apart, so the clean blobs stay disjoint.
constexpr double kBlobRadius = 1.8, kBlobSigma = 0.2, kBlobCut = 3 * kBlobSigma;
Point2 sample_blobs(int cls, int classes, Rng& rng) {
  const double angle = 0.5 * kPi + 2.0 * kPi * cls / classes;
  double ox, oy;
  do {
    ox = kBlobSigma * rng.normal();
    oy = kBlobSigma * rng.normal();
  } while (ox * ox + oy * oy > kBlobCut * kBlobCut);
  return {kBlobRadius * std::cos(angle) + ox, kBlobRadius * std::sin(angle) + oy};
}

// K Archimedean arms: at parameter t in [0, 1], r = 0.25 + 2.25 t and
// angle = 2 pi (1.25 t + k / K). Starting at r = 0.25 keeps the arms apart at the centre.
constexpr double kSpiralR0 = 0.25, kSpiralGrowth = 2.25, kSpiralTurns = 1.25;
Point2 sample_spiral(int cls, int classes, Rng& rng) {
  const double t = rng.uniform();
  const double r = kSpiralR0 + kSpiralGrowth * t;
  const double angle = 2.0 * kPi * (kSpiralTurns * t + static_cast<double>(cls) / classes);
  return {r * std::cos(angle), r * std::sin(angle)};
}

// 4x4 cells of side 1.25 covering [-2.5, 2.5]^2; cell (i, j) has label (i + j) mod 2.
constexpr double kCell = 1.25;
Point2 sample_checkerboard(int cls, int, Rng& rng) {
  const int k = static_cast<int>(rng.below(8)); // one of the 8 cells of this class
  const int j = k / 2;
  const int i = 2 * (k % 2) + (j + cls) % 2;
  return {-kHalfWidth + kCell * (i + rng.uniform()), -kHalfWidth + kCell * (j + rng.uniform())};
}

// Targets stay roughly within [-1, 1] on the square, so that noise = 0.1 means 10% of the range.
double target_plane(double x, double y) {
  return (x + 0.5 * y) / 3.75;
}
double target_ripple(double x, double y) {
  return std::cos(0.8 * kPi * std::hypot(x, y));
}
double target_bumps(double x, double y) {
  struct Bump {
    double cx, cy, sigma, height;
  };
  static const Bump bumps[] = {
      {-1.0, -1.0, 0.7, 1.0}, {1.2, 0.8, 0.6, 0.8}, {0.8, -1.3, 0.5, -0.9}, {-1.2, 1.3, 0.6, -0.7}};
  double sum = 0.0;
  for (const Bump& b : bumps) {
    const double dx = x - b.cx, dy = y - b.cy;
    sum += b.height * std::exp(-(dx * dx + dy * dy) / (2.0 * b.sigma * b.sigma));
  }
  return sum;
}

// -- On the line --------------------------------------------------------------------------------

// K classes over 2K equal intervals of [-2.5, 2.5], interval i labelled i mod K: every class has
// two intervals, so the classes alternate along the line and each has the same total length.
Point2 sample_intervals(int cls, int classes, Rng& rng) {
  const double width = 2.0 * kHalfWidth / (2 * classes);
  const int i = cls + classes * static_cast<int>(rng.below(2)); // one of the class's 2 intervals
  return {-kHalfWidth + width * (i + rng.uniform()), 0.0};
}

// Targets stay within [-1, 1] on [-2.5, 2.5], as in the plane. 1.5 x runs over 3.75 > pi radians,
// so the sine shows a full swing from -0.9 to 0.9.
double target_sine(double x, double) {
  return 0.9 * std::sin(1.5 * x);
}
// A jump, which a continuous piecewise-linear network can only approach with a steep ramp.
double target_step(double x, double) {
  return x < 0.0 ? -0.8 : 0.8;
}
// One kink at 0: a single ReLU fits it exactly. Spans [-0.8, 0.95].
double target_abs(double x, double) {
  return 0.7 * std::abs(x) - 0.8;
}
// Roots at 0 and +-sqrt(5) ~ +-2.24, extremes +-0.947 at x = -+sqrt(5/3) ~ -+1.29, and +-0.6875
// at the ends of the interval.
double target_cubic(double x, double) {
  return 0.22 * x * (x * x - 5.0);
}

struct Generator {
  DatasetInfo info;
  ClassSampler sample;   // classification
  TargetFunction target; // regression
};

const std::vector<Generator>& generators() {
  static const std::vector<Generator> table = {
      {{"moons", "two interleaved half circles", "jitter stddev = noise x 1.5 (the moon radius)",
        false, 2, 2, 2, 1.5, 2},
       sample_moons,
       nullptr},
      {{"circles", "a disk of one class inside a ring of the other",
        "jitter stddev = noise x 2.5 (the ring's outer radius)", false, 2, 2, 2, 2.5, 2},
       sample_circles,
       nullptr},
      {{"xor", "quadrants labelled by whether x and y have different signs",
        "jitter stddev = noise x 2.5 (the half width of the square)", false, 2, 2, 2, 2.5, 2},
       sample_xor,
       nullptr},
      {{"blobs", "K Gaussian blobs with centres on a circle, one per class",
        "jitter stddev = noise x 1.8 (the radius of the circle of centres)", false, 3, 2,
        kMaxToyClasses, 1.8, 2},
       sample_blobs,
       nullptr},
      {{"spiral", "K interleaved spiral arms, one per class",
        "jitter stddev = noise x 1 (about the gap between two arms)", false, 2, 2, kMaxToyClasses,
        1.0, 2},
       sample_spiral,
       nullptr},
      {{"checkerboard", "a 4x4 checkerboard of alternating labels",
        "jitter stddev = noise x 1.25 (the side of a cell)", false, 2, 2, 2, 1.25, 2},
       sample_checkerboard,
       nullptr},
      {{"plane", "regression of a tilted plane, (x + y / 2) / 3.75",
        "additive target noise with stddev = noise (targets span [-1, 1])", true, 0, 0, 0, 1.0, 2},
       nullptr,
       target_plane},
      {{"ripple", "regression of concentric ripples, cos(0.8 pi r) at distance r from the centre",
        "additive target noise with stddev = noise (targets span [-1, 1])", true, 0, 0, 0, 1.0, 2},
       nullptr,
       target_ripple},
      {{"bumps", "regression of a sum of four Gaussian bumps, two up and two down",
        "additive target noise with stddev = noise (targets span about [-0.9, 1])", true, 0, 0, 0,
        1.0, 2},
       nullptr,
       target_bumps},
      // On the line (networks with one input).
      {{"intervals", "K classes alternating over 2K equal intervals of the line",
        "jitter stddev = noise x 1.25 (an interval's width for 2 classes)", false, 2, 2, 4, 1.25,
        1},
       sample_intervals,
       nullptr},
      {{"sine", "regression on the line of a sine wave, 0.9 sin(1.5 x)",
        "additive target noise with stddev = noise (targets span [-0.9, 0.9])", true, 0, 0, 0,
        1.0, 1},
       nullptr,
       target_sine},
      {{"step", "regression on the line of a step, -0.8 for x < 0 and 0.8 from 0 on",
        "additive target noise with stddev = noise (targets are -0.8 and 0.8)", true, 0, 0, 0,
        1.0, 1},
       nullptr,
       target_step},
      {{"abs", "regression on the line of a V, 0.7 |x| - 0.8",
        "additive target noise with stddev = noise (targets span [-0.8, 0.95])", true, 0, 0, 0,
        1.0, 1},
       nullptr,
       target_abs},
      {{"cubic", "regression on the line of a cubic with three roots, 0.22 x (x^2 - 5)",
        "additive target noise with stddev = noise (targets span about [-0.95, 0.95])", true, 0,
        0, 0, 1.0, 1},
       nullptr,
       target_cubic},
      // Images (image_data.h): loaded, not generated; the published train/test split.
      {{"fashion-mnist",
        "Fashion-MNIST: 28 x 28 grey photos of 10 kinds of clothing (2,500 training and 1,000 "
        "test images in the page)",
        "none: these are photos", false, 10, 10, 10, 0.0, 784},
       nullptr,
       nullptr},
  };
  return table;
}

const Generator* find_generator(const std::string& name) {
  for (const Generator& g : generators())
    if (name == g.info.name) return &g;
  return nullptr;
}

// The given columns of data, in that order, with their labels or targets.
Dataset select_columns(const Dataset& data, const std::vector<Eigen::Index>& columns) {
  Dataset out;
  out.classes = data.classes;
  const Eigen::Index m = static_cast<Eigen::Index>(columns.size());
  out.X.resize(data.X.rows(), m); // (D, m)
  const bool has_labels = data.labels.size() == data.size();
  const bool has_targets = data.targets.size() == data.size();
  if (has_labels) out.labels.resize(m);
  if (has_targets) out.targets.resize(m);
  for (Eigen::Index k = 0; k < m; ++k) {
    out.X.col(k) = data.X.col(columns[k]);
    if (has_labels) out.labels(k) = data.labels(columns[k]);
    if (has_targets) out.targets(k) = data.targets(columns[k]);
  }
  return out;
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Registry
// -----------------------------------------------------------------------------------------------

const std::vector<DatasetInfo>& dataset_registry() {
  static const std::vector<DatasetInfo> infos = [] {
    std::vector<DatasetInfo> out;
    for (const Generator& g : generators()) out.push_back(g.info);
    return out;
  }();
  return infos;
}

const DatasetInfo* find_dataset(const std::string& name) {
  const Generator* g = find_generator(name);
  return g ? &dataset_registry()[g - generators().data()] : nullptr;
}

std::string dataset_names() {
  std::string out;
  for (const DatasetInfo& info : dataset_registry()) {
    if (!out.empty()) out += ", ";
    out += info.name;
  }
  return out;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Specs, generation and splits
// -----------------------------------------------------------------------------------------------

std::string validate(const DatasetSpec& spec) {
  std::ostringstream err;
  const DatasetInfo* info = find_dataset(spec.name);
  if (!info)
    err << "dataset name '" << spec.name << "' is unknown; valid names are " << dataset_names();
  else if (spec.n < 4 || spec.n > kMaxDatasetPoints)
    err << "n (number of points) must be between 4 and " << kMaxDatasetPoints << " (got " << spec.n
        << ")";
  else if (!(spec.noise >= 0.0 && spec.noise <= 1.0)) // also rejects NaN
    err << "noise must be a finite number between 0 and 1 (got " << spec.noise << ")";
  else if (!info->regression && spec.classes != 0 &&
           (spec.classes < info->min_classes || spec.classes > info->max_classes)) {
    if (info->min_classes == info->max_classes)
      err << "classes must be " << info->min_classes << " for " << info->name << " (got "
          << spec.classes << ")";
    else
      err << "classes must be between " << info->min_classes << " and " << info->max_classes
          << " for " << info->name << ", or 0 for its default of " << info->default_classes
          << " (got " << spec.classes << ")";
  } else if (!(spec.train_fraction >= 0.05 && spec.train_fraction <= 1.0))
    err << "train_fraction must be between 0.05 and 1 (got " << spec.train_fraction << ")";
  return err.str();
}

int resolved_classes(const DatasetSpec& spec) {
  const DatasetInfo* info = find_dataset(spec.name);
  if (!info || info->regression) return 0;
  return spec.classes == 0 ? info->default_classes : spec.classes;
}

Dataset generate(const DatasetSpec& spec) {
  const std::string problem = validate(spec);
  if (!problem.empty()) throw std::invalid_argument(problem);
  const Generator& gen = *find_generator(spec.name);
  if (!gen.sample && !gen.target)
    throw std::invalid_argument(spec.name + " is image data: its images are loaded, not generated");
  const int n = spec.n;
  Rng rng(spec.seed);

  // The jitter (or target noise) is drawn whatever the noise level, so the same seed gives the
  // same clean points at every noise level and the noise slider only scales the displacement.
  // On the line only x is drawn (and jittered): the line's datasets do not spend numbers on a
  // coordinate they do not have.
  const bool plane = gen.info.dims == 2;
  Dataset data;
  data.X.resize(gen.info.dims, n); // (dims, n)
  if (gen.info.regression) {
    data.classes = 0;
    data.targets.resize(n);
    for (int j = 0; j < n; ++j) {
      const double x = rng.uniform(-kHalfWidth, kHalfWidth);
      const double y = plane ? rng.uniform(-kHalfWidth, kHalfWidth) : 0.0;
      data.X(0, j) = x;
      if (plane) data.X(1, j) = y;
      data.targets(j) = gen.target(x, y) + spec.noise * rng.normal();
    }
  } else {
    const int classes = resolved_classes(spec);
    data.classes = classes;
    data.labels.resize(n);
    const double sigma = spec.noise * gen.info.noise_scale;
    int j = 0;
    for (int cls = 0; cls < classes; ++cls) {
      const int count = n / classes + (cls < n % classes ? 1 : 0);
      for (int k = 0; k < count; ++k, ++j) {
        const Point2 p = gen.sample(cls, classes, rng);
        const double jx = rng.normal();
        data.X(0, j) = p.x + sigma * jx;
        if (plane) data.X(1, j) = p.y + sigma * rng.normal();
        data.labels(j) = cls;
      }
    }
  }

  // Points come out class by class; a seeded shuffle makes any prefix a fair sample.
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  rng.shuffle(order);
  return select_columns(data, order);
}

Split split_dataset(const Dataset& data, double train_fraction, std::uint64_t seed) {
  if (!(train_fraction >= 0.05 && train_fraction <= 1.0)) {
    std::ostringstream err;
    err << "train_fraction must be between 0.05 and 1 (got " << train_fraction << ")";
    throw std::invalid_argument(err.str());
  }
  const Eigen::Index n = data.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  Rng rng(seed);
  rng.shuffle(order);

  // Stratify: the r-th point (in shuffled order) of a class of m points gets the key r / m, and
  // train takes the smallest keys. Each class then gets its share of train, and the first point of
  // every class (key 0) is taken before any second point.
  const bool labelled = !data.is_regression() && data.labels.size() == n;
  std::map<int, Eigen::Index> class_size;
  if (labelled)
    for (Eigen::Index j = 0; j < n; ++j) ++class_size[data.labels(j)];
  std::map<int, Eigen::Index> seen;
  std::vector<double> key(static_cast<std::size_t>(n)); // key[p] for the p-th shuffled point
  for (Eigen::Index p = 0; p < n; ++p) {
    const int cls = labelled ? data.labels(order[p]) : 0;
    const Eigen::Index m = labelled ? class_size[cls] : n;
    key[p] = static_cast<double>(seen[cls]++) / static_cast<double>(m);
  }
  std::vector<Eigen::Index> by_key(static_cast<std::size_t>(n));
  std::iota(by_key.begin(), by_key.end(), Eigen::Index{0});
  std::stable_sort(by_key.begin(), by_key.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return key[a] < key[b]; });

  Eigen::Index n_train = static_cast<Eigen::Index>(std::llround(train_fraction * n));
  n_train = std::min(n, std::max(n_train, n > 0 ? Eigen::Index{1} : Eigen::Index{0}));
  std::vector<bool> in_train(static_cast<std::size_t>(n), false);
  for (Eigen::Index k = 0; k < n_train; ++k) in_train[by_key[k]] = true;

  std::vector<Eigen::Index> train, test;
  for (Eigen::Index p = 0; p < n; ++p) (in_train[p] ? train : test).push_back(order[p]);
  Split split;
  split.train = select_columns(data, train);
  split.test = select_columns(data, test);
  return split;
}

bool is_image_data(const std::string& name) {
  const DatasetInfo* info = find_dataset(name);
  return info && info->dims > 2;
}

std::string data_available(const DatasetSpec& spec) {
  if (!is_image_data(spec.name) || provided_images(spec.name)) return "";
  return "the images of " + spec.name + " have not been loaded yet";
}

std::shared_ptr<const Split> shared_split(const DatasetSpec& spec) {
  if (is_image_data(spec.name)) {
    const std::string problem = validate(spec);
    if (!problem.empty()) throw std::invalid_argument(problem);
    const std::shared_ptr<const ImageAssetResult> images = provided_images(spec.name);
    if (!images) throw std::invalid_argument(data_available(spec));
    return std::shared_ptr<const Split>(images, &images->split); // shares the provided images
  }
  return std::make_shared<const Split>(make_split(spec));
}

Split make_split(const DatasetSpec& spec) {
  if (is_image_data(spec.name)) {
    const std::string problem = validate(spec);
    if (!problem.empty()) throw std::invalid_argument(problem);
    const std::shared_ptr<const ImageAssetResult> images = provided_images(spec.name);
    if (!images) throw std::invalid_argument(data_available(spec));
    return images->split;
  }
  const Dataset data = generate(spec);
  // A stream of its own, so that the split does not reuse the generator's numbers.
  Rng derive(spec.seed ^ 0x73706c6974ULL); // "split"
  return split_dataset(data, spec.train_fraction, derive.next_u64());
}

// -----------------------------------------------------------------------------------------------
// [SECTION] User points
// -----------------------------------------------------------------------------------------------

UserPoints::UserPoints(int classes, int dims) : classes_(classes), dims_(dims) {
  if (classes != 0 && (classes < 2 || classes > kMaxOutputs)) {
    std::ostringstream err;
    err << "classes must be 0 (regression) or between 2 and " << kMaxOutputs << " (got " << classes
        << ")";
    throw std::invalid_argument(err.str());
  }
  if (dims < 1 || dims > kMaxInputDim)
    throw std::invalid_argument("user points have 1 to " + std::to_string(kMaxInputDim) +
                                " coordinates, not " + std::to_string(dims));
}

UserPoints UserPoints::from_dataset(const Dataset& data) {
  // An empty dataset may have no rows at all (a default Dataset): the plane, as before.
  const int dims = data.dim() == 0 && data.size() == 0 ? 2 : data.dim();
  if (dims != 1 && dims != 2)
    throw std::invalid_argument("user points must lie on the line or in the plane (got " +
                                std::to_string(dims) + "-D points)");
  if (data.size() > kMaxDatasetPoints)
    throw std::invalid_argument("too many points for user points");
  UserPoints out(data.classes, dims);
  const Eigen::Index n = data.size();
  if ((out.is_regression() ? data.targets.size() : data.labels.size()) != n)
    throw std::invalid_argument("dataset has no label or target for every point");
  out.points_.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index j = 0; j < n; ++j) {
    const double value = out.is_regression() ? data.targets(j) : data.labels(j);
    if (!out.add(data.X(0, j), dims == 2 ? data.X(1, j) : 0.0, value))
      throw std::invalid_argument("dataset point " + std::to_string(j) +
                                  " is not finite or has a label out of range");
  }
  return out;
}

bool UserPoints::valid_value(double value) const {
  if (!std::isfinite(value)) return false;
  if (is_regression()) return true;
  return value == std::floor(value) && value >= 0.0 && value < classes_;
}

bool UserPoints::add(double x, double y, double value) {
  if (dims_ > 2) return false; // a point of an image space is an image: none are placed by hand
  if (dims_ == 1) y = 0.0; // the line has no y: whatever the caller had there does not matter
  if (!std::isfinite(x) || !std::isfinite(y) || !valid_value(value)) return false;
  if (size() >= kMaxDatasetPoints) return false;
  UserPoint p;
  p.x = x;
  p.y = y;
  if (is_regression())
    p.target = value;
  else
    p.label = static_cast<int>(value);
  points_.push_back(p);
  return true;
}

int UserPoints::nearest(double x, double y, double radius) const {
  if (!(radius >= 0.0)) return -1;
  int best = -1;
  double best_d2 = radius * radius;
  for (int k = 0; k < size(); ++k) {
    const double dx = points_[k].x - x, dy = dims_ == 2 ? points_[k].y - y : 0.0;
    const double d2 = dx * dx + dy * dy;
    if (d2 < best_d2 || (best < 0 && d2 <= best_d2)) {
      best = k;
      best_d2 = d2;
    }
  }
  return best;
}

bool UserPoints::remove_nearest(double x, double y, double radius) {
  const int k = nearest(x, y, radius);
  if (k < 0) return false;
  points_.erase(points_.begin() + k);
  return true;
}

bool UserPoints::relabel(int index, double value) {
  if (index < 0 || index >= size() || !valid_value(value)) return false;
  if (is_regression())
    points_[index].target = value;
  else
    points_[index].label = static_cast<int>(value);
  return true;
}

Dataset UserPoints::to_dataset() const {
  Dataset data;
  data.classes = classes_;
  const int n = size();
  data.X.resize(dims_, n); // (dims, n)
  if (is_regression())
    data.targets.resize(n);
  else
    data.labels.resize(n);
  for (int j = 0; j < n; ++j) {
    data.X(0, j) = points_[j].x;
    if (dims_ == 2) data.X(1, j) = points_[j].y;
    if (is_regression())
      data.targets(j) = points_[j].target;
    else
      data.labels(j) = points_[j].label;
  }
  return data;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] CSV
// -----------------------------------------------------------------------------------------------

namespace {

// 17 significant digits identify every double, so that parsing gives back the same bits.
void append_double(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  out += buf;
}

std::string trim(const std::string& s) {
  const char* space = " \t\r\f\v";
  const std::size_t b = s.find_first_not_of(space);
  if (b == std::string::npos) return "";
  const std::size_t e = s.find_last_not_of(space);
  return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A field as it appears in a message: quoted and cut short, so one huge field cannot flood the UI.
std::string quoted(const std::string& field) {
  return "'" + (field.size() > 40 ? field.substr(0, 37) + "..." : field) + "'";
}

enum class Number { ok, empty, not_a_number, not_finite };

// The whole field must be a decimal number; strtod alone would also take hexadecimal and a
// number followed by junk.
Number parse_number(const std::string& field, double* out) {
  if (field.empty()) return Number::empty;
  if (field.find_first_of("xX") != std::string::npos) return Number::not_a_number;
  const char* begin = field.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0') return Number::not_a_number;
  if (!std::isfinite(v)) return Number::not_finite;
  *out = v;
  return Number::ok;
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(
        trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

std::string unquote(const std::string& s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

} // namespace

std::string to_csv(const Dataset& data) {
  const bool plane = data.dim() == 2 || (data.dim() == 0 && data.size() == 0);
  if (!plane && data.dim() != 1)
    throw std::invalid_argument("CSV export needs points on the line or in the plane (got " +
                                std::to_string(data.dim()) + "-D points)");
  const bool regression = data.is_regression();
  std::string out = std::string(plane ? "x,y," : "x,") + (regression ? "target\n" : "label\n");
  out.reserve(out.size() + static_cast<std::size_t>(data.size()) * 48);
  for (Eigen::Index j = 0; j < data.size(); ++j) {
    append_double(out, data.X(0, j));
    out += ',';
    if (plane) {
      append_double(out, data.X(1, j));
      out += ',';
    }
    if (regression)
      append_double(out, data.targets(j));
    else
      out += std::to_string(data.labels(j));
    out += '\n';
  }
  return out;
}

std::string UserPoints::to_csv() const {
  return splinescope::to_csv(to_dataset()); // X has dims_ rows even when empty: the right header
}

CsvResult UserPoints::import_csv(const std::string& text, CsvImport mode) {
  const char* value_name = is_regression() ? "target" : "label";
  const bool plane = dims_ == 2;
  const std::size_t columns = static_cast<std::size_t>(dims_) + 1; // coordinates, then the value
  const std::string expected = std::string(plane ? "x,y," : "x,") + value_name;
  // Why a row of the other dimension's width does not fit: files of the plane and of the line
  // differ only by the y column.
  const std::string shape_hint = plane ? "these points lie in the plane and need a y"
                                       : "these points lie on a line and have no y";
  const std::size_t base = mode == CsvImport::append ? points_.size() : 0;
  std::vector<UserPoint> rows;
  int line_no = 0;
  bool seen_content = false;

  auto fail = [&](const std::string& reason) {
    CsvResult r;
    r.ok = false;
    r.line = line_no;
    r.error = "line " + std::to_string(line_no) + ": " + reason;
    return r;
  };

  std::size_t pos = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3; // UTF-8 byte order mark
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;

    const std::size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty()) continue;

    const std::vector<std::string> fields = split_fields(line);
    // The first line of content is a header when it starts with a word ("nan" and "inf" are
    // numbers, and then errors); a header must name the columns this set expects.
    double dummy;
    const bool first_content = !seen_content;
    seen_content = true;
    const std::string first = unquote(fields[0]);
    const bool starts_with_word = !first.empty() && ((first[0] >= 'a' && first[0] <= 'z') ||
                                                     (first[0] >= 'A' && first[0] <= 'Z'));
    if (first_content && starts_with_word &&
        parse_number(fields[0], &dummy) == Number::not_a_number) {
      std::vector<std::string> names;
      for (const std::string& f : fields) names.push_back(lower(unquote(f)));
      const std::string last = names.back();
      const bool label_col = last == "label" || last == "class";
      const bool target_col = last == "target" || last == "value";
      // x,y,VALUE or x,VALUE: a header of the plane or of the line.
      const bool plane_header = names.size() == 3 && names[0] == "x" && names[1] == "y";
      const bool line_header = names.size() == 2 && names[0] == "x";
      const bool shape = plane ? plane_header : line_header;
      if (shape && (is_regression() ? target_col : label_col)) continue;
      if (shape && (label_col || target_col))
        return fail("the header names a " + quoted(last) + " column but these points are " +
                    (is_regression() ? "regression targets" : "class labels") + " (expected " +
                    expected + ")");
      if ((plane ? line_header : plane_header) && (label_col || target_col))
        return fail("the header must be " + expected + " (got " + quoted(line) + "): " +
                    shape_hint);
      return fail("the header must be " + expected + " (got " + quoted(line) + ")");
    }

    if (fields.size() != columns) {
      std::string reason = "expected " + std::to_string(columns) + " columns (" + expected +
                           ") but found " + std::to_string(fields.size());
      if (fields.size() == (plane ? 2u : 3u)) reason += ": " + shape_hint;
      return fail(reason);
    }
    if (base + rows.size() >= static_cast<std::size_t>(kMaxDatasetPoints))
      return fail("too many points (the limit is " + std::to_string(kMaxDatasetPoints) + ")");

    double v[3]; // x, (y,) value
    const char* column_names[3] = {"x", plane ? "y" : value_name, value_name};
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string column = "column " + std::to_string(c + 1) + " (" + column_names[c] + ")";
      switch (parse_number(fields[c], &v[c])) {
      case Number::ok:
        break;
      case Number::empty:
        return fail(column + " is empty");
      case Number::not_a_number:
        return fail(column + " is not a number: " + quoted(fields[c]));
      case Number::not_finite:
        return fail(column + " is not finite: " + quoted(fields[c]));
      }
    }

    UserPoint p;
    p.x = v[0];
    p.y = plane ? v[1] : 0.0;
    const std::size_t at = columns - 1; // the value's column
    if (is_regression()) {
      p.target = v[at];
    } else {
      if (v[at] != std::floor(v[at]))
        return fail("label " + quoted(fields[at]) + " is not a whole number");
      if (v[at] < 0.0 || v[at] >= classes_)
        return fail("label " + quoted(fields[at]) + " is out of range for " +
                    std::to_string(classes_) + " classes (0 to " + std::to_string(classes_ - 1) +
                    ")");
      p.label = static_cast<int>(v[at]);
    }
    rows.push_back(p);
  }

  // Every row is valid: only now touch the current points.
  if (mode == CsvImport::replace) points_.clear();
  points_.insert(points_.end(), rows.begin(), rows.end());
  CsvResult r;
  r.rows = static_cast<int>(rows.size());
  return r;
}

} // namespace splinescope
