// training_wire.cpp - the worker messages of training_wire.h.
#include "training_wire.h"

#include "engine_limits.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

namespace splinescope {

namespace {

constexpr char kMagic[4] = {'S', 'S', 'T', 'W'};
enum MessageKind : std::uint8_t { kHandoff = 1, kProgress = 2 };
// Largest matrix side and series length a message may hold.
constexpr std::int64_t kMaxSide = kMaxDatasetPoints;
constexpr std::int64_t kMaxSeries = 1 << 16;
constexpr std::int64_t kMaxLayers = kMaxHiddenLayers + 1;
// Most coordinates a set of points may hold: the largest dataset of images.
constexpr std::int64_t kMaxPointValues = std::int64_t{kMaxInputDim} * 10000;
// The widest weight matrix, a first layer's (kMaxWidth, kMaxInputDim), must fit matrix()'s cap.
static_assert(std::int64_t{kMaxWidth} * kMaxInputDim <= 4 * kMaxSide,
              "a first layer of the widest input must fit a message");
const std::int64_t kActivationCount = static_cast<std::int64_t>(enum_names<Activation>().size());

class Writer {
public:
  std::string bytes;

  void raw(const void* data, std::size_t size) {
    if (size > 0) bytes.append(static_cast<const char*>(data), size);
  }
  void integer(std::int64_t v) { raw(&v, sizeof v); }
  void real(double v) { raw(&v, sizeof v); }
  void matrix(const Eigen::MatrixXd& m) { // (rows, cols)
    integer(m.rows());
    integer(m.cols());
    raw(m.data(), sizeof(double) * static_cast<std::size_t>(m.size()));
  }
  // Points: as matrix(), after a byte that says how the values follow: 0 as doubles, 1 as one
  // byte k each for the value k / 255 (images: the 8-bit pixels the data was made from, an eighth
  // of the size, bit for bit the same doubles once read).
  void points(const Eigen::MatrixXd& m) { // (D, n)
    // One pass: the bytes are written as the values are checked; the first value that is not
    // k / 255 sends the whole matrix as doubles instead. (No rounding calls: in wasm they are
    // calls, and an image set has millions of values.)
    const std::size_t header = bytes.size();
    const std::uint8_t as_bytes = 1;
    raw(&as_bytes, 1);
    integer(m.rows());
    integer(m.cols());
    const std::size_t at = bytes.size();
    bytes.resize(at + static_cast<std::size_t>(m.size()));
    char* out = &bytes[at];
    const double* v = m.data();
    static const std::array<double, 256> kValue = [] { // k / 255, as the reader makes them
      std::array<double, 256> t{};
      for (int k = 0; k < 256; ++k) t[k] = k / 255.0;
      return t;
    }();
    bool exact = m.size() > 0;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
      const double scaled = v[i] * 255.0 + 0.5;
      const int k = scaled >= 0.0 && scaled < 256.0 ? static_cast<int>(scaled) : -1;
      if (k < 0 || kValue[k] != v[i] || (k == 0 && std::signbit(v[i]))) { // (-0 is not 0 bit for bit)
        exact = false;
        break;
      }
      out[i] = static_cast<char>(k);
    }
    if (exact) return;
    bytes.resize(header);
    const std::uint8_t as_doubles = 0;
    raw(&as_doubles, 1);
    matrix(m);
  }
  void vector(const Eigen::VectorXd& v) {
    integer(v.size());
    raw(v.data(), sizeof(double) * static_cast<std::size_t>(v.size()));
  }
  void labels(const Eigen::VectorXi& v) {
    integer(v.size());
    for (Eigen::Index i = 0; i < v.size(); ++i) integer(v(i));
  }
  void text(const std::string& s) {
    integer(static_cast<std::int64_t>(s.size()));
    raw(s.data(), s.size());
  }
  void steps(const std::vector<std::int64_t>& v) {
    integer(static_cast<std::int64_t>(v.size()));
    raw(v.data(), sizeof(std::int64_t) * v.size());
  }
};

// Reads what Writer wrote; the first problem stops it and is kept in `error`.
class Reader {
public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  std::string error;

  bool ok() const { return error.empty(); }
  bool fail(const std::string& what) {
    if (error.empty()) error = what;
    return false;
  }
  bool raw(void* out, std::size_t size, const char* what) {
    if (!ok()) return false;
    if (bytes_.size() - at_ < size) return fail(std::string("the message ends inside ") + what);
    if (size > 0) std::memcpy(out, bytes_.data() + at_, size); // (an empty vector's data may be null)
    at_ += size;
    return true;
  }
  std::int64_t integer(const char* what, std::int64_t lo = INT64_MIN, std::int64_t hi = INT64_MAX) {
    std::int64_t v = 0;
    if (!raw(&v, sizeof v, what)) return lo > 0 ? lo : 0;
    if (v < lo || v > hi) {
      fail(std::string(what) + " is " + std::to_string(v) + ", outside " + std::to_string(lo) +
           " to " + std::to_string(hi));
      return lo > 0 ? lo : 0;
    }
    return v;
  }
  double real(const char* what) {
    double v = 0;
    raw(&v, sizeof v, what);
    return v;
  }
  Eigen::MatrixXd matrix(const char* what) {
    const std::int64_t rows = integer(what, 0, kMaxSide), cols = integer(what, 0, kMaxSide);
    if (!ok() || rows * cols > 4 * kMaxSide) { // (D, n) data or (width, fan-in) weights at most
      fail(std::string(what) + " is too large");
      return {};
    }
    Eigen::MatrixXd m(rows, cols);
    raw(m.data(), sizeof(double) * static_cast<std::size_t>(m.size()), what);
    return m;
  }
  Eigen::MatrixXd points(const char* what) { // (D, n)
    std::uint8_t kind = 0;
    raw(&kind, 1, what);
    if (ok() && kind > 1) {
      fail(std::string(what) + " are in an unknown encoding " + std::to_string(kind));
      return {};
    }
    if (kind == 0) return matrix(what);
    const std::int64_t rows = integer(what, 0, kMaxInputDim), cols = integer(what, 0, kMaxSide);
    if (!ok() || rows * cols > kMaxPointValues) {
      fail(std::string(what) + " are too many");
      return {};
    }
    if (bytes_.size() - at_ < static_cast<std::size_t>(rows * cols)) {
      fail(std::string("the message ends inside ") + what);
      return {};
    }
    Eigen::MatrixXd m(rows, cols);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + at_);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = p[i] / 255.0;
    at_ += static_cast<std::size_t>(m.size());
    return m;
  }
  Eigen::VectorXd vector(const char* what) {
    const std::int64_t n = integer(what, 0, kMaxSide);
    Eigen::VectorXd v(ok() ? n : 0);
    raw(v.data(), sizeof(double) * static_cast<std::size_t>(v.size()), what);
    return v;
  }
  Eigen::VectorXi labels(const char* what) {
    const std::int64_t n = integer(what, 0, kMaxSide);
    Eigen::VectorXi v(ok() ? n : 0);
    for (Eigen::Index i = 0; i < v.size() && ok(); ++i) v(i) = static_cast<int>(integer(what, 0, kMaxOutputs));
    return v;
  }
  std::string text(const char* what) {
    const std::int64_t n = integer(what, 0, static_cast<std::int64_t>(kMaxJsonBytes));
    std::string s(ok() ? static_cast<std::size_t>(n) : 0, '\0');
    raw(s.data(), s.size(), what);
    return s;
  }
  std::vector<std::int64_t> steps(const char* what) {
    const std::int64_t n = integer(what, 0, kMaxSeries);
    std::vector<std::int64_t> v(ok() ? static_cast<std::size_t>(n) : 0);
    raw(v.data(), sizeof(std::int64_t) * v.size(), what);
    return v;
  }
  bool header(MessageKind kind) {
    char magic[4] = {};
    raw(magic, 4, "the header");
    if (ok() && std::memcmp(magic, kMagic, 4) != 0) return fail("not a training message");
    const std::int64_t version = integer("the version");
    if (ok() && version != kTrainingWireVersion)
      return fail("training message version " + std::to_string(version) + ", expected " +
                  std::to_string(kTrainingWireVersion));
    std::uint8_t k = 0;
    raw(&k, 1, "the kind");
    if (ok() && k != kind) return fail(kind == kHandoff ? "not a handoff" : "not a progress message");
    return ok();
  }
  bool finished() {
    if (ok() && at_ != bytes_.size()) fail(std::to_string(bytes_.size() - at_) + " bytes after the message");
    return ok();
  }

private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

void write_header(Writer& w, MessageKind kind) {
  w.raw(kMagic, 4);
  w.integer(kTrainingWireVersion);
  w.raw(&kind, 1);
}

void write_dataset(Writer& w, const Dataset& d) {
  w.integer(d.classes);
  w.points(d.X);
  w.labels(d.labels);
  w.vector(d.targets);
}

Dataset read_dataset(Reader& r) {
  Dataset d;
  d.classes = static_cast<int>(r.integer("the classes", 0, kMaxOutputs));
  d.X = r.points("the points");
  d.labels = r.labels("the labels");
  d.targets = r.vector("the targets");
  // The session checks the dimension is its data's.
  if (r.ok() && (d.X.rows() < 1 || d.X.rows() > kMaxInputDim) && d.X.cols() > 0)
    r.fail("the points have " + std::to_string(d.X.rows()) + " coordinates; the datasets have 1 to " +
           std::to_string(kMaxInputDim));
  if (r.ok() && (d.is_regression() ? d.targets.size() : d.labels.size()) != d.X.cols())
    r.fail("the labels or targets do not match the points");
  return d;
}

// Shapes are checked by whoever takes the layers (Trainer::restore, the page's checks).
void write_layer(Writer& w, const Layer& layer) {
  w.matrix(layer.W);
  w.vector(layer.b);
  w.integer(static_cast<std::int64_t>(layer.activation));
  w.real(layer.alpha);
  w.integer(layer.batch_norm);
  for (const Eigen::VectorXd* v : {&layer.bn.gamma, &layer.bn.beta, &layer.bn.running_mean, &layer.bn.running_var})
    w.vector(*v);
  w.real(layer.bn.momentum);
  w.real(layer.bn.eps);
}

Layer read_layer(Reader& r) {
  Layer layer;
  layer.W = r.matrix("a layer's weights");
  layer.b = r.vector("a layer's biases");
  layer.activation = static_cast<Activation>(r.integer("an activation", 0, kActivationCount - 1));
  layer.alpha = r.real("a slope");
  layer.batch_norm = r.integer("a batch-norm flag", 0, 1) != 0;
  for (Eigen::VectorXd* v : {&layer.bn.gamma, &layer.bn.beta, &layer.bn.running_mean, &layer.bn.running_var})
    *v = r.vector("a layer's batch norm");
  layer.bn.momentum = r.real("a batch-norm momentum");
  layer.bn.eps = r.real("a batch-norm epsilon");
  if (r.ok() && layer.b.size() != layer.W.rows()) r.fail("a layer's biases do not match its weights");
  return layer;
}

void write_state(Writer& w, const Trainer::State& s) {
  w.integer(static_cast<std::int64_t>(s.layers.size()));
  for (std::size_t l = 0; l < s.layers.size(); ++l) {
    write_layer(w, s.layers[l]);
    const Trainer::LayerMoments& m = s.moments[l];
    w.matrix(m.mW);
    w.matrix(m.vW);
    for (const Eigen::VectorXd* v : {&m.mb, &m.vb, &m.mgamma, &m.vgamma, &m.mbeta, &m.vbeta}) w.vector(*v);
  }
  w.integer(s.steps);
  w.integer(s.optimizer_steps);
  w.integer(s.epoch);
  w.integer(s.cursor);
}

Trainer::State read_state(Reader& r) {
  Trainer::State s;
  const std::int64_t layers = r.integer("the layer count", 1, kMaxLayers);
  for (std::int64_t l = 0; l < layers && r.ok(); ++l) {
    Layer layer = read_layer(r);
    Trainer::LayerMoments m;
    m.mW = r.matrix("a moment");
    m.vW = r.matrix("a moment");
    for (Eigen::VectorXd* v : {&m.mb, &m.vb, &m.mgamma, &m.vgamma, &m.mbeta, &m.vbeta}) *v = r.vector("a moment");
    s.layers.push_back(std::move(layer));
    s.moments.push_back(std::move(m));
  }
  s.steps = r.integer("the step", 0);
  s.optimizer_steps = r.integer("the optimiser step", 0);
  s.epoch = r.integer("the epoch", 0);
  s.cursor = r.integer("the batch position", 0, kMaxSide);
  return s;
}

void write_metrics(Writer& w, const Metrics& m) {
  w.real(m.loss);
  w.real(m.accuracy);
  w.integer(m.n);
}

Metrics read_metrics(Reader& r) {
  Metrics m;
  m.loss = r.real("a loss");
  m.accuracy = r.real("an accuracy");
  m.n = r.integer("a point count", 0, kMaxSide);
  return m;
}

template <class T> LoadResult<T> result(Reader& r, T value) {
  if (!r.finished()) return LoadResult<T>::failure(r.error);
  LoadResult<T> out;
  out.value = std::move(value);
  return out;
}

} // namespace

namespace {
// The handoff after its header and config: the data's bytes (given), then the rest.
std::string write_handoff_with(const TrainingHandoff& h, const std::string& data_bytes) {
  Writer w;
  write_header(w, kHandoff);
  w.text(session_to_json(h.config));
  w.raw(data_bytes.data(), data_bytes.size());
  write_state(w, h.trainer);
  for (std::int64_t v : {h.step_offset, h.epoch_offset, static_cast<std::int64_t>(h.train_cursor),
                         static_cast<std::int64_t>(h.test_cursor)})
    w.integer(v);
  for (double v : {h.figures.tiles, h.figures.lc_train, h.figures.lc_test, h.figures.lc_boundary}) w.real(v);
  w.steps(h.history_steps);
  w.integer(h.history_interval);
  w.steps(h.timeline_steps);
  w.integer(h.timeline_interval);
  w.integer(h.timeline_capacity);
  return std::move(w.bytes);
}

std::string data_bytes(const Split& data) {
  Writer w;
  write_dataset(w, data.train);
  write_dataset(w, data.test);
  return std::move(w.bytes);
}
} // namespace

std::string write_handoff(const TrainingHandoff& h) { return write_handoff_with(h, data_bytes(h.data)); }

std::string write_handoff(const TrainingHandoff& h, const Split& data) {
  return write_handoff_with(h, data_bytes(data));
}

std::string write_handoff(const TrainingHandoff& h, const std::shared_ptr<const Split>& data) {
  // The last data written, while that split lives: a session hands off the same data again after
  // every settings change, and an image set is 2.76 MB of bytes to write.
  static std::weak_ptr<const Split> last;
  static std::string last_bytes;
  if (!data) return write_handoff(h);
  if (last.lock() != data) {
    last_bytes = data_bytes(*data);
    last = data;
  }
  return write_handoff_with(h, last_bytes);
}

LoadResult<TrainingHandoff> read_handoff(const std::string& bytes) {
  Reader r(bytes);
  TrainingHandoff h;
  if (!r.header(kHandoff)) return LoadResult<TrainingHandoff>::failure(r.error);
  const std::string config = r.text("the config");
  if (r.ok()) {
    const LoadResult<SessionDocument> doc = session_from_json(config);
    if (!doc.ok()) r.fail("the config: " + doc.error);
    h.config = doc.value.config;
  }
  h.data.train = read_dataset(r);
  h.data.test = read_dataset(r);
  h.trainer = read_state(r);
  h.step_offset = r.integer("the step offset", 0);
  h.epoch_offset = r.integer("the epoch offset", 0);
  h.train_cursor = r.integer("a metric position", 0, kMaxSide);
  h.test_cursor = r.integer("a metric position", 0, kMaxSide);
  h.figures.tiles = r.real("the tile count");
  h.figures.lc_train = r.real("a local complexity");
  h.figures.lc_test = r.real("a local complexity");
  h.figures.lc_boundary = r.real("a local complexity");
  h.history_steps = r.steps("the history");
  h.history_interval = r.integer("the history interval", 1);
  h.timeline_steps = r.steps("the timeline");
  h.timeline_interval = r.integer("the timeline interval", 1);
  h.timeline_capacity = r.integer("the timeline capacity", 1, kMaxSeries);
  return result(r, std::move(h));
}

std::string write_progress(const TrainingProgress& p) {
  Writer w;
  write_header(w, kProgress);
  write_state(w, p.trainer);
  w.integer(p.train_cursor);
  w.integer(p.test_cursor);
  write_metrics(w, p.train_metrics);
  write_metrics(w, p.test_metrics);
  w.steps(p.history_steps);
  w.integer(p.history_interval);
  w.steps(p.timeline_steps);
  w.integer(p.timeline_interval);
  w.integer(static_cast<std::int64_t>(p.history.size()));
  for (const HistoryPoint& h : p.history) {
    w.integer(h.step);
    for (double v : {h.train_loss, h.test_loss, h.train_accuracy, h.test_accuracy, h.tiles,
                     h.lc_train, h.lc_test, h.lc_boundary})
      w.real(v);
  }
  w.integer(static_cast<std::int64_t>(p.snapshots.size()));
  for (const Snapshot& s : p.snapshots) {
    w.integer(s.step);
    w.integer(s.network.input_dim);
    w.integer(static_cast<std::int64_t>(s.network.layers.size()));
    for (const Layer& layer : s.network.layers) write_layer(w, layer);
  }
  w.integer(p.diverged);
  return std::move(w.bytes);
}

LoadResult<TrainingProgress> read_progress(const std::string& bytes) {
  Reader r(bytes);
  TrainingProgress p;
  if (!r.header(kProgress)) return LoadResult<TrainingProgress>::failure(r.error);
  p.trainer = read_state(r);
  p.train_cursor = r.integer("a metric position", 0, kMaxSide);
  p.test_cursor = r.integer("a metric position", 0, kMaxSide);
  p.train_metrics = read_metrics(r);
  p.test_metrics = read_metrics(r);
  p.history_steps = r.steps("the history");
  p.history_interval = r.integer("the history interval", 1);
  p.timeline_steps = r.steps("the timeline");
  p.timeline_interval = r.integer("the timeline interval", 1);
  const std::int64_t points = r.integer("the new history points", 0, kMaxSeries);
  for (std::int64_t i = 0; i < points && r.ok(); ++i) {
    HistoryPoint h;
    h.step = r.integer("a history step", 0);
    for (double* v : {&h.train_loss, &h.test_loss, &h.train_accuracy, &h.test_accuracy, &h.tiles,
                      &h.lc_train, &h.lc_test, &h.lc_boundary})
      *v = r.real("a history figure");
    p.history.push_back(h);
  }
  const std::int64_t snapshots = r.integer("the new snapshots", 0, kMaxSeries);
  for (std::int64_t i = 0; i < snapshots && r.ok(); ++i) {
    Snapshot s;
    s.step = r.integer("a snapshot step", 0);
    s.network.input_dim = static_cast<int>(r.integer("a snapshot's input dimension", 1, kMaxInputDim));
    const std::int64_t layers = r.integer("a snapshot's layer count", 1, kMaxLayers);
    for (std::int64_t l = 0; l < layers && r.ok(); ++l) s.network.layers.push_back(read_layer(r));
    p.snapshots.push_back(std::move(s));
  }
  p.diverged = r.integer("the divergence flag", 0, 1) != 0;
  return result(r, std::move(p));
}

} // namespace splinescope
