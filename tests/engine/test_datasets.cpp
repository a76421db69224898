// Datasets: the generator registry, each generator's size, balance, bounds, seeding and clean
// geometry against its defining formula, stratified splits, spec validation, and user points with
// their CSV import (every malformed case) and bit-exact export.
#include "datasets.h"
#include "random.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace splinescope;

namespace {
constexpr double kPi = 3.14159265358979323846;
const double kInf = std::numeric_limits<double>::infinity();

DatasetSpec spec_of(const std::string& name, int n, double noise, int classes = 0,
                    std::uint64_t seed = 1) {
  DatasetSpec spec;
  spec.name = name;
  spec.n = n;
  spec.noise = noise;
  spec.classes = classes;
  spec.seed = seed;
  return spec;
}

// The class counts worth testing for a generator: its extremes and 3 when allowed.
std::vector<int> class_counts(const DatasetInfo& info) {
  if (info.regression) return {0};
  std::vector<int> out = {info.min_classes};
  if (info.min_classes < 3 && info.max_classes > 3) out.push_back(3);
  if (info.max_classes != info.min_classes) out.push_back(info.max_classes);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// Angle difference wrapped to [-pi, pi].
double angle_gap(double a, double b) {
  return std::remainder(a - b, 2.0 * kPi);
}

// Two points for tests that check an import left the current points alone.
UserPoints two_points() {
  UserPoints pts(2);
  REQUIRE(pts.add(0.5, 0.25, 1));
  REQUIRE(pts.add(-1.0, -2.0, 0));
  return pts;
}

bool same_points(const UserPoints& a, const UserPoints& b) {
  if (a.size() != b.size()) return false;
  for (int k = 0; k < a.size(); ++k) {
    const UserPoint &p = a.points()[k], &q = b.points()[k];
    if (bits(p.x) != bits(q.x) || bits(p.y) != bits(q.y) || p.label != q.label ||
        bits(p.target) != bits(q.target))
      return false;
  }
  return true;
}
} // namespace

// -----------------------------------------------------------------------------------------------
// Registry and generators
// -----------------------------------------------------------------------------------------------

TEST_CASE("the dataset registry lists the nine generators of the plane, the five of the line and "
          "the image dataset with unique names and sane class counts") {
  const std::vector<std::string> expected = {
      "moons",  "circles", "xor",   "blobs",     "spiral", "checkerboard", "plane",
      "ripple", "bumps",   "intervals", "sine", "step",   "abs",          "cubic", "fashion-mnist"};
  // The first nine lie in the plane, the next five on the line, the last has 28 x 28 pixels.
  const std::size_t plane_count = 9, line_count = 5;
  REQUIRE(dataset_registry().size() == expected.size());
  std::set<std::string> names;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const DatasetInfo& info = dataset_registry()[k];
    CAPTURE(info.name);
    CHECK(info.name == expected[k]);
    CHECK(info.dims == (k < plane_count ? 2 : k < plane_count + line_count ? 1 : 784));
    CHECK(is_image_data(info.name) == (info.dims == 784));
    // Within each dimension, classification comes first.
    if (k > 0 && dataset_registry()[k - 1].dims == info.dims)
      CHECK((dataset_registry()[k - 1].regression <= info.regression));
    names.insert(info.name);
    CHECK(std::string(info.description).size() > 10);
    CHECK(std::string(info.noise_note).size() > 10);
    CHECK(find_dataset(info.name) == &info);
    CHECK(contains(dataset_names(), info.name));
    CHECK((info.noise_scale > 0 || is_image_data(info.name)));
    if (info.regression) {
      CHECK(info.default_classes == 0);
      CHECK(info.min_classes == 0);
      CHECK(info.max_classes == 0);
    } else {
      CHECK(info.min_classes >= 2);
      CHECK(info.max_classes <= (is_image_data(info.name) ? kMaxOutputs : kMaxToyClasses));
      CHECK(info.default_classes >= info.min_classes);
      CHECK(info.default_classes <= info.max_classes);
    }
  }
  CHECK(names.size() == expected.size());
  CHECK(find_dataset("Moons") == nullptr);
  CHECK(find_dataset("") == nullptr);
  CHECK(find_dataset("blobs")->max_classes == 10);
  CHECK(find_dataset("spiral")->max_classes == 10);
  CHECK(find_dataset("spiral")->default_classes == 2);
  CHECK(find_dataset("intervals")->min_classes == 2);
  CHECK(find_dataset("intervals")->max_classes == 4);
  CHECK(find_dataset("intervals")->default_classes == 2);
  CHECK(find_dataset("sine")->dims == 1);
  CHECK(find_dataset("circles")->dims == 2);
  CHECK(find_dataset("fashion-mnist")->default_classes == 10);
}

TEST_CASE("every dataset generator gives n points with labels in range and balanced classes") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (is_image_data(info.name)) continue; // loaded, not generated (test_image_sessions.cpp)
    for (int classes : class_counts(info)) {
      for (int n : {4, 7, 200, 203}) {
        CAPTURE(info.name);
        CAPTURE(classes);
        CAPTURE(n);
        const Dataset data = generate(spec_of(info.name, n, 0.1, classes));
        REQUIRE(data.size() == n);
        REQUIRE(data.dim() == info.dims);
        CHECK(data.X.allFinite());
        if (info.regression) {
          CHECK(data.is_regression());
          CHECK(data.labels.size() == 0);
          REQUIRE(data.targets.size() == n);
          CHECK(data.targets.allFinite());
        } else {
          CHECK(data.classes == classes);
          CHECK(data.targets.size() == 0);
          REQUIRE(data.labels.size() == n);
          std::vector<int> count(static_cast<std::size_t>(classes), 0);
          for (Eigen::Index j = 0; j < n; ++j) {
            REQUIRE(data.labels(j) >= 0);
            REQUIRE(data.labels(j) < classes);
            ++count[data.labels(j)];
          }
          for (int c = 0; c < classes; ++c)
            CHECK(count[c] == n / classes + (c < n % classes ? 1 : 0));
        }
      }
    }
  }
}

TEST_CASE("every dataset generator's noise-free points lie within [-2.5, 2.5] in each coordinate") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (is_image_data(info.name)) continue; // loaded, not generated (test_image_sessions.cpp)
    for (int classes : class_counts(info)) {
      CAPTURE(info.name);
      CAPTURE(classes);
      const Dataset data = generate(spec_of(info.name, 3000, 0.0, classes, 5));
      CHECK(data.X.cwiseAbs().maxCoeff() <= 2.5);
      // The points spread over a good part of the window rather than a corner of it.
      CHECK(data.X.cwiseAbs().maxCoeff() > 1.5);
      // With noise the default window [-3, 3]^2 still shows nearly all of them.
      const Dataset noisy = generate(spec_of(info.name, 3000, 0.1, classes, 5));
      int outside = 0;
      for (Eigen::Index j = 0; j < noisy.size(); ++j)
        if (noisy.X.col(j).cwiseAbs().maxCoeff() > 3.0) ++outside;
      CHECK(outside < 30);
    }
  }
}

TEST_CASE("every dataset generator repeats itself for a seed and differs across seeds") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (is_image_data(info.name)) continue; // loaded, not generated (test_image_sessions.cpp)
    CAPTURE(info.name);
    const Dataset a = generate(spec_of(info.name, 100, 0.2, 0, 42));
    const Dataset b = generate(spec_of(info.name, 100, 0.2, 0, 42));
    const Dataset c = generate(spec_of(info.name, 100, 0.2, 0, 43));
    CHECK(a.X == b.X);
    CHECK(a.labels == b.labels);
    CHECK(a.targets == b.targets);
    CHECK(a.X != c.X);
  }
}

TEST_CASE("dataset points come out shuffled rather than class by class") {
  const Dataset data = generate(spec_of("blobs", 300, 0.1, 3));
  int changes = 0;
  for (Eigen::Index j = 1; j < data.size(); ++j) changes += data.labels(j) != data.labels(j - 1);
  CHECK(changes > 100); // about 200 expected for a random order, 2 for sorted
}

TEST_CASE("dataset noise scales the displacement of the same clean points") {
  // The jitter is drawn whatever the noise level, so points move linearly with the noise slider.
  for (const DatasetInfo& info : dataset_registry()) {
    if (is_image_data(info.name)) continue; // loaded, not generated (test_image_sessions.cpp)
    CAPTURE(info.name);
    const Dataset d0 = generate(spec_of(info.name, 4000, 0.0, 0, 9));
    const Dataset d1 = generate(spec_of(info.name, 4000, 0.1, 0, 9));
    const Dataset d2 = generate(spec_of(info.name, 4000, 0.5, 0, 9));
    CHECK(d0.labels == d2.labels);
    const Eigen::MatrixXd step1 = info.regression ? Eigen::MatrixXd(d1.targets - d0.targets)
                                                  : Eigen::MatrixXd(d1.X - d0.X); // (*, n)
    const Eigen::MatrixXd step2 = info.regression ? Eigen::MatrixXd(d2.targets - d0.targets)
                                                  : Eigen::MatrixXd(d2.X - d0.X); // (*, n)
    if (info.regression) CHECK(d0.X == d2.X);
    CHECK((step2 - 5.0 * step1).cwiseAbs().maxCoeff() < 1e-9);
    // The displacement's standard deviation is noise * noise_scale (within sampling error).
    const double sd = std::sqrt(step2.squaredNorm() / static_cast<double>(step2.size()));
    CHECK(sd == doctest::Approx(0.5 * info.noise_scale).epsilon(0.06));
  }
}

TEST_CASE("the noise-free circles dataset puts every inner point closer to the centre than every "
          "ring point") {
  const Dataset data = generate(spec_of("circles", 2000, 0.0));
  double inner_max = 0, outer_min = 1e9, outer_max = 0;
  for (Eigen::Index j = 0; j < data.size(); ++j) {
    const double r = data.X.col(j).norm();
    if (data.labels(j) == 0)
      inner_max = std::max(inner_max, r);
    else {
      outer_min = std::min(outer_min, r);
      outer_max = std::max(outer_max, r);
    }
  }
  CHECK(inner_max <= 1.25);
  CHECK(outer_min >= 1.75);
  CHECK(outer_max <= 2.5 + 1e-12);
  CHECK(inner_max > 1.2);  // the disk is filled out to its edge
  CHECK(outer_max > 2.45); // and so is the ring
}

TEST_CASE("the noise-free moons dataset lies on its two arcs") {
  const Dataset data = generate(spec_of("moons", 1000, 0.0));
  for (Eigen::Index j = 0; j < data.size(); ++j) {
    const double x = data.X(0, j), y = data.X(1, j);
    if (data.labels(j) == 0) { // upper arc around (-0.75, -0.375)
      CHECK(std::hypot(x + 0.75, y + 0.375) == doctest::Approx(1.5).epsilon(1e-12));
      CHECK(y >= -0.375 - 1e-12);
    } else { // lower arc around (0.75, 0.375)
      CHECK(std::hypot(x - 0.75, y - 0.375) == doctest::Approx(1.5).epsilon(1e-12));
      CHECK(y <= 0.375 + 1e-12);
    }
  }
}

TEST_CASE("the noise-free xor dataset labels points by the XOR of the coordinate signs") {
  const Dataset data = generate(spec_of("xor", 1000, 0.0));
  int quadrant[4] = {0, 0, 0, 0};
  for (Eigen::Index j = 0; j < data.size(); ++j) {
    const double x = data.X(0, j), y = data.X(1, j);
    CHECK(std::abs(x) >= 0.1);
    CHECK(std::abs(y) >= 0.1);
    CHECK(data.labels(j) == (x * y < 0 ? 1 : 0));
    ++quadrant[(x > 0 ? 1 : 0) + (y > 0 ? 2 : 0)];
  }
  for (int q : quadrant) CHECK(q > 200); // all four quadrants are used, about 250 each
}

TEST_CASE(
    "the noise-free blobs dataset keeps every point nearest its own centre for 2 to 8 blobs") {
  for (int classes = 2; classes <= 8; ++classes) {
    CAPTURE(classes);
    const Dataset data = generate(spec_of("blobs", 800, 0.0, classes));
    for (Eigen::Index j = 0; j < data.size(); ++j) {
      int nearest = -1;
      double best = 1e9, own = 0;
      for (int k = 0; k < classes; ++k) {
        const double angle = kPi / 2 + 2 * kPi * k / classes;
        const double d =
            std::hypot(data.X(0, j) - 1.8 * std::cos(angle), data.X(1, j) - 1.8 * std::sin(angle));
        if (d < best) best = d, nearest = k;
        if (k == data.labels(j)) own = d;
      }
      CHECK(nearest == data.labels(j));
      CHECK(own <= 0.6 + 1e-12);
    }
  }
}

TEST_CASE(
    "the noise-free spiral dataset puts each point on the arm of its class, for 2, 3 and 8 arms") {
  for (int classes : {2, 3, 8}) {
    CAPTURE(classes);
    const Dataset data = generate(spec_of("spiral", 900, 0.0, classes));
    for (Eigen::Index j = 0; j < data.size(); ++j) {
      const double x = data.X(0, j), y = data.X(1, j);
      const double r = std::hypot(x, y);
      const double t = (r - 0.25) / 2.25;
      REQUIRE(t >= -1e-12);
      REQUIRE(t <= 1 + 1e-12);
      // The arm parameter t fixed by the radius predicts the angle of the point's own arm only.
      for (int k = 0; k < classes; ++k) {
        const double expected = 2 * kPi * (1.25 * t + static_cast<double>(k) / classes);
        const double gap = std::abs(angle_gap(std::atan2(y, x), expected));
        if (k == data.labels(j))
          CHECK(gap < 1e-9);
        else
          CHECK(gap > 0.5);
      }
    }
  }
}

TEST_CASE("the noise-free checkerboard dataset labels points by the parity of their 4x4 cell") {
  const Dataset data = generate(spec_of("checkerboard", 2000, 0.0));
  std::set<std::pair<int, int>> cells;
  for (Eigen::Index j = 0; j < data.size(); ++j) {
    const int i = static_cast<int>(std::floor((data.X(0, j) + 2.5) / 1.25));
    const int k = static_cast<int>(std::floor((data.X(1, j) + 2.5) / 1.25));
    REQUIRE(i >= 0);
    REQUIRE(i < 4);
    REQUIRE(k >= 0);
    REQUIRE(k < 4);
    CHECK(data.labels(j) == (i + k) % 2);
    cells.insert({i, k});
  }
  CHECK(cells.size() == 16);
}

TEST_CASE("noise-free regression datasets have the targets of their formulas") {
  const auto bumps = [](double x, double y) {
    const double c[4][4] = {{-1.0, -1.0, 0.7, 1.0},
                            {1.2, 0.8, 0.6, 0.8},
                            {0.8, -1.3, 0.5, -0.9},
                            {-1.2, 1.3, 0.6, -0.7}};
    double s = 0;
    for (const auto& b : c)
      s +=
          b[3] * std::exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (2 * b[2] * b[2]));
    return s;
  };
  for (const std::string name : {"plane", "ripple", "bumps"}) {
    CAPTURE(name);
    const Dataset data = generate(spec_of(name, 2000, 0.0));
    double lo = 1e9, hi = -1e9;
    for (Eigen::Index j = 0; j < data.size(); ++j) {
      const double x = data.X(0, j), y = data.X(1, j), t = data.targets(j);
      double expected = 0;
      if (name == "plane") expected = (x + 0.5 * y) / 3.75;
      if (name == "ripple") expected = std::cos(0.8 * kPi * std::hypot(x, y));
      if (name == "bumps") expected = bumps(x, y);
      CHECK(t == doctest::Approx(expected).epsilon(1e-12));
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    CHECK(lo >= -1.0 - 1e-12);
    CHECK(hi <= 1.0 + 1e-12);
    CHECK(hi - lo > 1.0); // the targets use their range
  }
}

TEST_CASE("noise-free regression datasets on the line have one row and the targets of their "
          "formulas") {
  for (const std::string name : {"sine", "step", "abs", "cubic"}) {
    CAPTURE(name);
    const Dataset data = generate(spec_of(name, 3000, 0.0));
    REQUIRE(data.dim() == 1);
    REQUIRE(data.size() == 3000);
    REQUIRE(data.targets.size() == 3000);
    CHECK(data.is_regression());
    double lo = 1e9, hi = -1e9, x_lo = 1e9, x_hi = -1e9;
    for (Eigen::Index j = 0; j < data.size(); ++j) {
      const double x = data.X(0, j), t = data.targets(j);
      double expected = 0;
      if (name == "sine") expected = 0.9 * std::sin(1.5 * x);
      if (name == "step") expected = x < 0 ? -0.8 : 0.8;
      if (name == "abs") expected = 0.7 * std::abs(x) - 0.8;
      if (name == "cubic") expected = 0.22 * x * x * x - 1.1 * x;
      CHECK(t == doctest::Approx(expected).epsilon(1e-12));
      lo = std::min(lo, t);
      hi = std::max(hi, t);
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
    }
    // x is uniform over [-2.5, 2.5]: 3000 points reach within 0.01 of both ends.
    CHECK(x_lo >= -2.5);
    CHECK(x_hi <= 2.5);
    CHECK(x_lo < -2.49);
    CHECK(x_hi > 2.49);
    // The targets stay in [-1, 1] and use their range: the closed-form extremes over [-2.5, 2.5].
    CHECK(lo >= -1.0);
    CHECK(hi <= 1.0);
    if (name == "sine") {
      CHECK(lo == doctest::Approx(-0.9).epsilon(1e-3));
      CHECK(hi == doctest::Approx(0.9).epsilon(1e-3));
    }
    if (name == "step") {
      CHECK(lo == -0.8);
      CHECK(hi == 0.8);
    }
    if (name == "abs") {
      CHECK(lo == doctest::Approx(-0.8).epsilon(0.02)); // 0.7 |x| - 0.8 at the point nearest 0
      CHECK(hi == doctest::Approx(0.95).epsilon(0.02));
    }
    if (name == "cubic") { // extremes -+0.22 (10/3) sqrt(5/3) at x = +-sqrt(5/3)
      const double extreme = 0.22 * (10.0 / 3.0) * std::sqrt(5.0 / 3.0);
      CHECK(lo == doctest::Approx(-extreme).epsilon(1e-3));
      CHECK(hi == doctest::Approx(extreme).epsilon(1e-3));
    }
  }
}

TEST_CASE("noisy regression targets on the line lie within a few sigma of their formulas") {
  for (const std::string name : {"sine", "step", "abs", "cubic"}) {
    CAPTURE(name);
    const Dataset clean = generate(spec_of(name, 4000, 0.0, 0, 11));
    const Dataset noisy = generate(spec_of(name, 4000, 0.2, 0, 11));
    CHECK(noisy.X == clean.X); // noise moves targets, not points
    const Eigen::VectorXd residual = noisy.targets - clean.targets; // (n)
    CHECK(residual.cwiseAbs().maxCoeff() < 5 * 0.2); // P(|z| > 5) x 4000 points ~ 0.002
    const double mean = residual.mean();
    const double sd = std::sqrt((residual.array() - mean).square().mean());
    CHECK(std::abs(mean) < 4 * 0.2 / std::sqrt(4000.0)); // 4 standard errors
    CHECK(sd == doctest::Approx(0.2).epsilon(0.05));
  }
}

TEST_CASE("the noise-free intervals dataset labels each point by its interval, for 2 to 4 "
          "classes") {
  for (int classes = 2; classes <= 4; ++classes) {
    CAPTURE(classes);
    const int n = 1001;
    const Dataset data = generate(spec_of("intervals", n, 0.0, classes));
    REQUIRE(data.dim() == 1);
    REQUIRE(data.size() == n);
    CHECK(data.classes == classes);
    CHECK(data.targets.size() == 0);
    // 2K intervals of width 5 / 2K over [-2.5, 2.5]; interval i has label i mod K.
    const double width = 5.0 / (2 * classes);
    std::vector<int> count(static_cast<std::size_t>(classes), 0);
    std::set<int> used;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double x = data.X(0, j);
      REQUIRE(x >= -2.5);
      REQUIRE(x < 2.5);
      const int i = static_cast<int>(std::floor((x + 2.5) / width));
      CHECK(data.labels(j) == i % classes);
      used.insert(i);
      ++count[data.labels(j)];
    }
    CHECK(used.size() == static_cast<std::size_t>(2 * classes)); // every interval has points
    for (int c = 0; c < classes; ++c) CHECK(count[c] == n / classes + (c < n % classes ? 1 : 0));
  }
  CHECK(contains(validate(spec_of("intervals", 100, 0.1, 5)),
                 "classes must be between 2 and 4 for intervals"));
  CHECK(validate(spec_of("intervals", 100, 0.1, 4)).empty());
}

TEST_CASE("the intervals dataset's noise jitters x by noise x 1.25 and keeps the labels") {
  const Dataset clean = generate(spec_of("intervals", 4000, 0.0, 3, 4));
  const Dataset noisy = generate(spec_of("intervals", 4000, 0.4, 3, 4));
  REQUIRE(noisy.dim() == 1);
  CHECK(noisy.labels == clean.labels);
  const Eigen::RowVectorXd shift = noisy.X.row(0) - clean.X.row(0); // (1, n)
  const double sd = std::sqrt(shift.squaredNorm() / static_cast<double>(shift.size()));
  CHECK(sd == doctest::Approx(0.4 * 1.25).epsilon(0.05));
}

TEST_CASE("a default dataset spec is valid and generates 200 circle points") {
  const DatasetSpec spec;
  CHECK(validate(spec).empty());
  const Dataset data = generate(spec);
  CHECK(data.size() == 200);
  CHECK(data.classes == 2);
  const Split split = make_split(spec);
  CHECK(split.train.size() == 160);
  CHECK(split.test.size() == 40);
}

TEST_CASE("dataset classes 0 means the generator's default and regression ignores classes") {
  CHECK(generate(spec_of("blobs", 30, 0.1, 0)).classes == find_dataset("blobs")->default_classes);
  CHECK(generate(spec_of("spiral", 30, 0.1, 0)).classes == 2);
  CHECK(generate(spec_of("moons", 30, 0.1, 0)).classes == 2);
  CHECK(resolved_classes(spec_of("spiral", 30, 0.1, 5)) == 5);
  for (int classes : {0, 2, 7}) {
    const DatasetSpec spec = spec_of("ripple", 30, 0.1, classes);
    CHECK(validate(spec).empty());
    CHECK(resolved_classes(spec) == 0);
    CHECK(generate(spec).classes == 0);
  }
}

// -----------------------------------------------------------------------------------------------
// Splits
// -----------------------------------------------------------------------------------------------

TEST_CASE("a dataset split is disjoint and together is the whole dataset, for every generator") {
  for (const DatasetInfo& info : dataset_registry()) {
    if (is_image_data(info.name)) continue; // loaded, not generated (test_image_sessions.cpp)
    for (double fraction : {0.05, 0.5, 0.8, 1.0}) {
      CAPTURE(info.name);
      CAPTURE(fraction);
      DatasetSpec spec = spec_of(info.name, 101, 0.1, 0, 3);
      spec.train_fraction = fraction;
      const Dataset data = generate(spec);
      const Split split = make_split(spec);
      CHECK(split.train.size() + split.test.size() == data.size());
      CHECK(split.train.size() == std::llround(fraction * 101));
      CHECK(split.train.classes == data.classes);
      CHECK(split.test.classes == data.classes);
      CHECK(split.train.dim() == info.dims);
      CHECK(split.test.dim() == info.dims);
      // Each point (its coordinates, label or target) of the dataset is in exactly one side.
      std::multiset<std::vector<double>> all, parts;
      const auto add = [](std::multiset<std::vector<double>>& into, const Dataset& d) {
        for (Eigen::Index j = 0; j < d.size(); ++j) {
          std::vector<double> point(d.X.col(j).data(), d.X.col(j).data() + d.X.rows());
          point.push_back(d.is_regression() ? d.targets(j) : static_cast<double>(d.labels(j)));
          into.insert(point);
        }
      };
      add(all, data);
      add(parts, split.train);
      add(parts, split.test);
      CHECK(all == parts);
      std::multiset<std::vector<double>> train_only, test_only;
      add(train_only, split.train);
      add(test_only, split.test);
      for (const auto& p : test_only) CHECK(train_only.count(p) == 0);
      if (fraction == 1.0) CHECK(split.test.size() == 0);
    }
  }
}

TEST_CASE("a dataset split is stratified and repeats itself for a seed") {
  DatasetSpec spec = spec_of("blobs", 300, 0.1, 3);
  const Split a = make_split(spec), b = make_split(spec);
  CHECK(a.train.X == b.train.X);
  CHECK(a.test.labels == b.test.labels);
  for (int c = 0; c < 3; ++c) CHECK((a.train.labels.array() == c).count() == 80);
  spec.seed = 2;
  CHECK(make_split(spec).train.X != a.train.X);
  // The same dataset split with another seed gives another (still stratified) split.
  const Dataset data = generate(spec_of("moons", 100, 0.1));
  const Split s1 = split_dataset(data, 0.5, 1), s2 = split_dataset(data, 0.5, 2);
  CHECK(s1.train.X != s2.train.X);
  CHECK((s1.train.labels.array() == 0).count() == 25);
}

TEST_CASE(
    "every class of a dataset is in the train split when it has room for one point per class") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    DatasetSpec spec = spec_of("spiral", 160, 0.1, 8, seed);
    spec.train_fraction = 0.05; // 8 train points for 8 classes
    const Split split = make_split(spec);
    REQUIRE(split.train.size() == 8);
    std::set<int> labels(split.train.labels.data(), split.train.labels.data() + 8);
    CHECK(labels.size() == 8);
  }
}

TEST_CASE("splitting tiny and empty datasets keeps at least one training point") {
  UserPoints pts(2);
  Split split = split_dataset(pts.to_dataset(), 0.8, 1);
  CHECK(split.train.size() == 0);
  CHECK(split.test.size() == 0);
  pts.add(1, 1, 1);
  split = split_dataset(pts.to_dataset(), 0.05, 1);
  CHECK(split.train.size() == 1);
  CHECK(split.test.size() == 0);
  CHECK(split.train.labels(0) == 1);
  CHECK_THROWS_AS(split_dataset(pts.to_dataset(), 0.0, 1), std::invalid_argument);
  CHECK_THROWS_AS(split_dataset(pts.to_dataset(), 1.5, 1), std::invalid_argument);
}

// -----------------------------------------------------------------------------------------------
// Validation
// -----------------------------------------------------------------------------------------------

TEST_CASE("invalid dataset specs are rejected with a message naming the field") {
  const auto message = [](const DatasetSpec& spec) {
    const std::string m = validate(spec);
    CHECK_THROWS_WITH_AS(generate(spec), m.c_str(), std::invalid_argument);
    CHECK_THROWS_AS(make_split(spec), std::invalid_argument);
    return m;
  };
  DatasetSpec spec;
  spec.name = "moon";
  std::string m = message(spec);
  CHECK(contains(m, "'moon' is unknown"));
  for (const DatasetInfo& info : dataset_registry()) CHECK(contains(m, info.name));

  spec = DatasetSpec();
  for (int n : {3, 0, -5, kMaxDatasetPoints + 1}) {
    spec.n = n;
    m = message(spec);
    CHECK(contains(m, "n (number of points) must be between 4 and 100000"));
    CHECK(contains(m, "got " + std::to_string(n)));
  }
  spec.n = 4;
  CHECK(validate(spec).empty());
  spec.n = kMaxDatasetPoints;
  CHECK(validate(spec).empty());

  spec = DatasetSpec();
  for (double noise : {-0.01, 1.01, std::nan(""), kInf, -kInf}) {
    spec.noise = noise;
    CHECK(contains(message(spec), "noise must be a finite number between 0 and 1"));
  }
  spec.noise = 0;
  CHECK(validate(spec).empty());
  spec.noise = 1;
  CHECK(validate(spec).empty());

  spec = DatasetSpec();
  spec.classes = 3;
  CHECK(message(spec) == "classes must be 2 for circles (got 3)");
  spec.classes = -1;
  CHECK(contains(message(spec), "classes must be 2 for circles"));
  spec.name = "spiral";
  spec.classes = 11;
  m = message(spec);
  CHECK(contains(m, "classes must be between 2 and 10 for spiral"));
  CHECK(contains(m, "got 11"));
  spec.classes = 1;
  CHECK(contains(message(spec), "classes must be between 2 and 10 for spiral"));
  spec.classes = 10;
  CHECK(validate(spec).empty());
  spec.classes = 3;
  CHECK(validate(spec).empty());

  spec = DatasetSpec();
  for (double fraction : {0.0, 0.049, 1.0001, -1.0, std::nan("")}) {
    spec.train_fraction = fraction;
    CHECK(contains(message(spec), "train_fraction must be between 0.05 and 1"));
  }
  spec.train_fraction = 0.05;
  CHECK(validate(spec).empty());
  spec.train_fraction = 1.0;
  CHECK(validate(spec).empty());
}

// -----------------------------------------------------------------------------------------------
// User points
// -----------------------------------------------------------------------------------------------

TEST_CASE("user points can be added, removed near the cursor, relabelled and cleared") {
  UserPoints pts(3);
  CHECK(pts.empty());
  CHECK(pts.add(0, 0, 0));
  CHECK(pts.add(1, 0, 1));
  CHECK(pts.add(1.05, 0, 2));
  CHECK(pts.add(-2, 2, 1));
  CHECK(pts.size() == 4);

  CHECK(pts.nearest(1.04, 0, 0.5) == 2);
  CHECK(pts.nearest(5, 5, 0.5) == -1);
  CHECK(pts.nearest(0.5, 0, 0.5) == 0); // a tie goes to the lower index, radius is inclusive
  CHECK_FALSE(pts.remove_nearest(0.5, 0.6, 0.5));
  CHECK(pts.size() == 4);
  CHECK(pts.remove_nearest(1.04, 0, 0.5));
  REQUIRE(pts.size() == 3);
  CHECK(pts.points()[2].x == -2); // later points moved down
  CHECK(pts.points()[1].label == 1);

  CHECK(pts.relabel(1, 2));
  CHECK(pts.points()[1].label == 2);
  CHECK_FALSE(pts.relabel(3, 0));
  CHECK_FALSE(pts.relabel(-1, 0));
  CHECK_FALSE(pts.relabel(0, 3));
  CHECK_FALSE(pts.relabel(0, 0.5));
  CHECK(pts.points()[0].label == 0);

  const Dataset data = pts.to_dataset();
  CHECK(data.classes == 3);
  REQUIRE(data.size() == 3);
  CHECK(data.X(0, 1) == 1);
  CHECK(data.X(1, 2) == 2);
  CHECK(data.labels(1) == 2);
  CHECK(data.targets.size() == 0);

  pts.clear();
  CHECK(pts.empty());
  CHECK(pts.to_dataset().size() == 0);
}

TEST_CASE("user points refuse non-finite coordinates, bad labels and a full set") {
  UserPoints pts(2);
  CHECK_FALSE(pts.add(std::nan(""), 0, 0));
  CHECK_FALSE(pts.add(0, kInf, 0));
  CHECK_FALSE(pts.add(0, 0, 2));
  CHECK_FALSE(pts.add(0, 0, -1));
  CHECK_FALSE(pts.add(0, 0, 0.5));
  CHECK_FALSE(pts.add(0, 0, std::nan("")));
  CHECK(pts.empty());
  for (int k = 0; k < kMaxDatasetPoints; ++k) REQUIRE(pts.add(k * 1e-5, 0, k % 2));
  CHECK_FALSE(pts.add(0, 0, 0));
  CHECK(pts.size() == kMaxDatasetPoints);

  UserPoints reg(0);
  CHECK(reg.is_regression());
  CHECK(reg.add(1, 2, -0.75));
  CHECK_FALSE(reg.add(1, 2, kInf));
  CHECK(reg.relabel(0, 3.5));
  CHECK(reg.points()[0].target == 3.5);
  CHECK_FALSE(reg.relabel(0, std::nan("")));
  const Dataset data = reg.to_dataset();
  CHECK(data.is_regression());
  CHECK(data.targets(0) == 3.5);
  CHECK(data.labels.size() == 0);

  CHECK_THROWS_AS(UserPoints(1), std::invalid_argument);
  CHECK_THROWS_AS(UserPoints(kMaxOutputs + 1), std::invalid_argument);
  CHECK_THROWS_AS(UserPoints(-1), std::invalid_argument);
}

TEST_CASE("user points built from a generated dataset give that dataset back") {
  for (const std::string name : {"spiral", "bumps"}) {
    const Dataset data = generate(spec_of(name, 50, 0.2, name == "spiral" ? 3 : 0));
    const UserPoints pts = UserPoints::from_dataset(data);
    CHECK(pts.classes() == data.classes);
    const Dataset back = pts.to_dataset();
    CHECK(back.X == data.X);
    CHECK(back.labels == data.labels);
    CHECK(back.targets == data.targets);
  }
  Dataset three_d;
  three_d.X = Eigen::MatrixXd::Zero(3, 2); // (3, 2)
  three_d.labels = Eigen::VectorXi::Zero(2);
  CHECK_THROWS_AS(UserPoints::from_dataset(three_d), std::invalid_argument);
  Dataset bad_label;
  bad_label.X = Eigen::MatrixXd::Zero(2, 2); // (2, 2)
  bad_label.labels = Eigen::VectorXi::Constant(2, 5);
  CHECK_THROWS_AS(UserPoints::from_dataset(bad_label), std::invalid_argument);
}

// -----------------------------------------------------------------------------------------------
// CSV
// -----------------------------------------------------------------------------------------------

TEST_CASE("a CSV export of user points imports back bit for bit") {
  Rng rng(17);
  UserPoints pts(4);
  for (int k = 0; k < 500; ++k)
    REQUIRE(pts.add(rng.normal() * std::pow(10.0, rng.uniform(-12, 12)), rng.uniform(-3, 3),
                    static_cast<double>(rng.below(4))));
  // Values whose printing is easy to get wrong.
  REQUIRE(pts.add(-0.0, 0.1, 0));
  REQUIRE(pts.add(5e-324, -1.7976931348623157e308, 3));
  REQUIRE(pts.add(1.0 / 3.0, 2.2250738585072014e-308, 1));
  const std::string csv = pts.to_csv();
  CHECK(csv.compare(0, 10, "x,y,label\n") == 0);

  UserPoints back(4);
  const CsvResult r = back.import_csv(csv);
  CHECK(r.ok);
  CHECK(r.error.empty());
  CHECK(r.line == 0);
  CHECK(r.rows == pts.size());
  CHECK(same_points(pts, back));
  CHECK(std::signbit(back.points()[500].x));
  CHECK(back.to_csv() == csv);
}

TEST_CASE("a CSV export of regression targets imports back bit for bit") {
  const Dataset data = generate(spec_of("ripple", 300, 0.3));
  const std::string csv = to_csv(data);
  CHECK(csv.compare(0, 11, "x,y,target\n") == 0);
  UserPoints back(0);
  REQUIRE(back.import_csv(csv).ok);
  const Dataset again = back.to_dataset();
  REQUIRE(again.size() == data.size());
  for (Eigen::Index j = 0; j < data.size(); ++j) {
    CHECK(bits(again.X(0, j)) == bits(data.X(0, j)));
    CHECK(bits(again.X(1, j)) == bits(data.X(1, j)));
    CHECK(bits(again.targets(j)) == bits(data.targets(j)));
  }
}

TEST_CASE("CSV import accepts no header, blank lines, comments, spaces, CRLF and a BOM") {
  UserPoints pts = two_points();
  const std::string text = "\xEF\xBB\xBF# my points\r\n"
                           "\r\n"
                           "  X , Y , Label  # a header in any case\r\n"
                           "1.5, -2, 1\r\n"
                           "   \t\r\n"
                           "# -1,-1,0\n"
                           "+3e-1,4.,0   # trailing comment\n"
                           "-.5,.25,1.0"; // no final newline; 1.0 is a whole number
  const CsvResult r = pts.import_csv(text);
  REQUIRE(r.ok);
  CHECK(r.rows == 3);
  REQUIRE(pts.size() == 3); // replaced the two points
  CHECK(pts.points()[0].x == 1.5);
  CHECK(pts.points()[0].y == -2);
  CHECK(pts.points()[0].label == 1);
  CHECK(pts.points()[1].x == 0.3);
  CHECK(pts.points()[1].y == 4);
  CHECK(pts.points()[2].x == -0.5);
  CHECK(pts.points()[2].label == 1);

  CHECK(pts.import_csv("0,0,0\n1,1,1\n").ok);
  CHECK(pts.size() == 2);
  CHECK(pts.import_csv("\"x\",\"y\",\"class\"\n2,2,1\n").ok);
  CHECK(pts.size() == 1);
  UserPoints reg(0);
  CHECK(reg.import_csv("x,y,value\n1,2,0.5\n").ok);
  CHECK(reg.points()[0].target == 0.5);
  // Nothing but a header and comments is a valid, empty file.
  CHECK(pts.import_csv("x,y,label\n# nothing yet\n").ok);
  CHECK(pts.empty());
  CHECK(pts.import_csv("").ok);
}

TEST_CASE("CSV import in append mode adds the file's points after the current ones") {
  UserPoints pts = two_points();
  const CsvResult r = pts.import_csv("x,y,label\n7,8,1\n", CsvImport::append);
  CHECK(r.ok);
  CHECK(r.rows == 1);
  REQUIRE(pts.size() == 3);
  CHECK(pts.points()[0].x == 0.5);
  CHECK(pts.points()[2].x == 7);
  CHECK_FALSE(pts.import_csv("9,9,0\n9,9,9\n", CsvImport::append).ok);
  CHECK(pts.size() == 3);
}

TEST_CASE("malformed CSV rows name their line and reason and leave the points untouched") {
  struct Case {
    const char* text;
    int line;
    const char* reason;
  };
  const Case cases[] = {
      {"x,y,label\n1,2,0\n1,2\n", 3, "expected 3 columns (x,y,label) but found 2"},
      {"1,2,0,4\n", 1, "expected 3 columns (x,y,label) but found 4"},
      {"1,2,0\n1;2;0\n", 2, "expected 3 columns (x,y,label) but found 1"},
      {"\n\n# comment\n1,2,0\n\n1 2 0\n", 6, "expected 3 columns"},
      {"1,2,0\n,\n", 2, "expected 3 columns (x,y,label) but found 2"},
      {"1,abc,0\n", 1, "column 2 (y) is not a number: 'abc'"},
      {"x,y,label\n0,0,1\nabc,1,0\n", 3, "column 1 (x) is not a number: 'abc'"},
      {"1,2,zero\n", 1, "column 3 (label) is not a number: 'zero'"},
      {"0x10,2,0\n", 1, "column 1 (x) is not a number: '0x10'"},
      {"1.5.2,0,0\n", 1, "column 1 (x) is not a number"},
      {"1 2,3,0\n", 1, "column 1 (x) is not a number: '1 2'"},
      {"1,2e,0\n", 1, "column 2 (y) is not a number: '2e'"},
      {"\"1\",2,0\n", 1, "column 1 (x) is not a number"},
      {"1,2,0\n3,4,1\nx,y,label\n", 3, "column 1 (x) is not a number: 'x'"},
      {"nan,1,0\n", 1, "column 1 (x) is not finite: 'nan'"},
      {"1,NaN,0\n", 1, "column 2 (y) is not finite: 'NaN'"},
      {"1,inf,0\n", 1, "column 2 (y) is not finite: 'inf'"},
      {"1,2,-Infinity\n", 1, "column 3 (label) is not finite"},
      {"1e999,0,0\n", 1, "column 1 (x) is not finite: '1e999'"},
      {"1,,0\n", 1, "column 2 (y) is empty"},
      {"1,2,\n", 1, "column 3 (label) is empty"},
      {",2,0\n", 1, "column 1 (x) is empty"},
      {"1,2,2\n", 1, "label '2' is out of range for 2 classes (0 to 1)"},
      {"1,2,-1\n", 1, "label '-1' is out of range for 2 classes (0 to 1)"},
      {"1,2,1e300\n", 1, "label '1e300' is out of range"},
      {"1,2,0.5\n", 1, "label '0.5' is not a whole number"},
      {"1,2,0\r\n3,4,5\r\n", 2, "label '5' is out of range"},
      {"a,b,c\n1,2,0\n", 1, "the header must be x,y,label (got 'a,b,c')"},
      {"x,y\n1,2,0\n", 1, "the header must be x,y,label"},
      {"x,y,label,extra\n", 1, "the header must be x,y,label"},
      {"x,y,target\n1,2,0.5\n", 1,
       "the header names a 'target' column but these points are class "
       "labels (expected x,y,label)"},
      {"\xEF\xBB\xBF"
       "1,2,0\nfoo\n",
       2, "expected 3 columns (x,y,label) but found 1"},
  };
  for (const Case& c : cases) {
    const std::string text = c.text;
    CAPTURE(text);
    for (CsvImport mode : {CsvImport::replace, CsvImport::append}) {
      UserPoints pts = two_points();
      const CsvResult r = pts.import_csv(c.text, mode);
      CHECK_FALSE(r.ok);
      CHECK(r.line == c.line);
      CHECK(r.rows == 0);
      CHECK(r.error.compare(0, 7 + std::to_string(c.line).size(),
                            "line " + std::to_string(c.line) + ": ") == 0);
      CAPTURE(r.error);
      CHECK(contains(r.error, c.reason));
      CHECK(same_points(pts, two_points()));
    }
  }
}

TEST_CASE("malformed regression CSV rows name their line and leave the points untouched") {
  UserPoints reg(0);
  REQUIRE(reg.add(1, 1, 0.25));
  CsvResult r = reg.import_csv("x,y,target\n1,2,3\n1,2,nan\n");
  CHECK(r.line == 3);
  CHECK(contains(r.error, "column 3 (target) is not finite"));
  r = reg.import_csv("x,y,label\n1,2,1\n");
  CHECK(r.line == 1);
  CHECK(contains(r.error, "the header names a 'label' column but these points are regression "
                          "targets (expected x,y,target)"));
  r = reg.import_csv("1,2\n");
  CHECK(contains(r.error, "expected 3 columns (x,y,target) but found 2"));
  // Any finite target is fine, whole or not, negative or huge.
  CHECK(reg.import_csv("1,2,-7.5\n1,2,1e300\n", CsvImport::append).ok);
  REQUIRE(reg.size() == 3);
  CHECK(reg.points()[0].target == 0.25);
}

TEST_CASE("CSV import stops at the row past the point limit and keeps the points") {
  std::string text = "x,y,label\n";
  for (int k = 0; k <= kMaxDatasetPoints; ++k) text += "0.5,0.5,1\n";
  UserPoints pts = two_points();
  CsvResult r = pts.import_csv(text);
  CHECK_FALSE(r.ok);
  CHECK(r.line == kMaxDatasetPoints + 2); // the header is line 1
  CHECK(contains(r.error, "too many points (the limit is 100000)"));
  CHECK(same_points(pts, two_points()));
  // Appending counts the points already there.
  r = pts.import_csv(text, CsvImport::append);
  CHECK(r.line == kMaxDatasetPoints); // 2 points leave room for 99,998 rows, lines 2 to 99,999
  CHECK(same_points(pts, two_points()));
  // Exactly the limit is fine.
  text.resize(text.size() - std::string("0.5,0.5,1\n").size());
  r = pts.import_csv(text);
  CHECK(r.ok);
  CHECK(pts.size() == kMaxDatasetPoints);
}

// -----------------------------------------------------------------------------------------------
// User points and CSV on the line
// -----------------------------------------------------------------------------------------------

TEST_CASE("user points on the line keep x only and find the nearest point along x") {
  UserPoints pts(2, 1);
  CHECK(pts.dims() == 1);
  CHECK(pts.add(0.5, 99.0, 1)); // y is ignored on the line
  CHECK(pts.add(-1.0, std::nan(""), 0)); // even when it is not a number
  CHECK_FALSE(pts.add(kInf, 0, 0));
  REQUIRE(pts.size() == 2);
  CHECK(pts.points()[0].y == 0);
  CHECK(pts.points()[1].y == 0);
  CHECK(pts.nearest(0.6, -50.0, 0.2) == 0); // distance |0.6 - 0.5| = 0.1, whatever y is
  CHECK(pts.nearest(0.0, 0.0, 0.4) == -1);
  const Dataset data = pts.to_dataset();
  REQUIRE(data.dim() == 1);
  REQUIRE(data.size() == 2);
  CHECK(data.X(0, 0) == 0.5);
  CHECK(data.X(0, 1) == -1.0);
  CHECK(data.labels(0) == 1);
  CHECK(UserPoints(0, 1).to_dataset().dim() == 1); // empty, but still on the line

  const UserPoints back = UserPoints::from_dataset(generate(spec_of("sine", 40, 0.1)));
  CHECK(back.dims() == 1);
  CHECK(back.is_regression());
  CHECK(back.to_dataset().X == generate(spec_of("sine", 40, 0.1)).X);
  CHECK_THROWS_AS(UserPoints(2, kMaxInputDim + 1), std::invalid_argument);
  CHECK_THROWS_AS(UserPoints(2, 0), std::invalid_argument);
  // In an image space no point is placed by hand.
  UserPoints images(10, 784);
  CHECK_FALSE(images.add(0.5, 0.5, 3));
  CHECK(images.empty());
}

TEST_CASE("a CSV export of points on the line is x,label or x,target and imports back bit for "
          "bit") {
  const Dataset classes = generate(spec_of("intervals", 300, 0.3, 3));
  const std::string labels_csv = to_csv(classes);
  CHECK(labels_csv.compare(0, 8, "x,label\n") == 0);
  UserPoints pts(3, 1);
  const CsvResult r = pts.import_csv(labels_csv);
  REQUIRE(r.ok);
  CHECK(r.rows == 300);
  const Dataset again = pts.to_dataset();
  REQUIRE(again.dim() == 1);
  REQUIRE(again.size() == classes.size());
  for (Eigen::Index j = 0; j < classes.size(); ++j) {
    CHECK(bits(again.X(0, j)) == bits(classes.X(0, j)));
    CHECK(again.labels(j) == classes.labels(j));
  }
  CHECK(pts.to_csv() == labels_csv);

  const Dataset sine = generate(spec_of("sine", 300, 0.3));
  const std::string targets_csv = to_csv(sine);
  CHECK(targets_csv.compare(0, 9, "x,target\n") == 0);
  // A row is "x,target": exactly one comma per line.
  const std::string first_row = targets_csv.substr(9, targets_csv.find('\n', 9) - 9);
  CHECK(std::count(first_row.begin(), first_row.end(), ',') == 1);
  UserPoints reg(0, 1);
  REQUIRE(reg.import_csv(targets_csv).ok);
  const Dataset back = reg.to_dataset();
  REQUIRE(back.size() == sine.size());
  for (Eigen::Index j = 0; j < sine.size(); ++j) {
    CHECK(bits(back.X(0, j)) == bits(sine.X(0, j)));
    CHECK(bits(back.targets(j)) == bits(sine.targets(j)));
  }
  CHECK(UserPoints(0, 1).to_csv() == "x,target\n");
  CHECK(UserPoints(2, 1).to_csv() == "x,label\n");
}

TEST_CASE("CSV import on the line reads two columns and refuses three with a message, and the "
          "plane refuses two") {
  UserPoints line(2, 1);
  REQUIRE(line.add(2.0, 0, 1));
  CsvResult r = line.import_csv("x,label\n-1.5,0\n0.25,1\n");
  REQUIRE(r.ok);
  REQUIRE(line.size() == 2);
  CHECK(line.points()[0].x == -1.5);
  CHECK(line.points()[1].label == 1);
  CHECK(line.import_csv("# no header\n0.5, 1\n", CsvImport::append).ok);
  CHECK(line.size() == 3);

  const UserPoints before = line;
  const auto refused = [&](const std::string& text, int at, const std::string& reason) {
    CAPTURE(text);
    const CsvResult bad = line.import_csv(text);
    CHECK_FALSE(bad.ok);
    CHECK(bad.line == at);
    CAPTURE(bad.error);
    CHECK(contains(bad.error, reason));
    CHECK(same_points(line, before));
  };
  refused("1,2,0\n", 1,
          "expected 2 columns (x,label) but found 3: these points lie on a line and have no y");
  refused("x,label\n1,0\n1,2,0\n", 3, "expected 2 columns (x,label) but found 3");
  refused("x,y,label\n1,2,0\n", 1,
          "the header must be x,label (got 'x,y,label'): these points lie on a line and have no y");
  refused("x,target\n1,0.5\n", 1,
          "the header names a 'target' column but these points are class labels (expected "
          "x,label)");
  refused("1,2\n", 1, "label '2' is out of range for 2 classes");
  refused("1,abc\n", 1, "column 2 (label) is not a number: 'abc'");
  refused("1\n", 1, "expected 2 columns (x,label) but found 1");

  UserPoints reg(0, 1);
  CHECK(reg.import_csv("x,value\n1,0.5\n").ok);
  r = reg.import_csv("1,nan\n");
  CHECK(contains(r.error, "column 2 (target) is not finite"));

  UserPoints plane(2);
  r = plane.import_csv("x,label\n1,0\n");
  CHECK_FALSE(r.ok);
  CHECK(contains(r.error, "the header must be x,y,label (got 'x,label'): these points lie in the "
                          "plane and need a y"));
  r = plane.import_csv("1,0\n");
  CHECK(contains(r.error, "expected 3 columns (x,y,label) but found 2: these points lie in the "
                          "plane and need a y"));
}
