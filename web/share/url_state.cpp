// url_state.cpp - the table of URL keys and the reading and writing of page state (url_state.h).
//
// Index
//   [SECTION] Text helpers
//   [SECTION] Value readers
//   [SECTION] The key table
//   [SECTION] Decode and encode
#include "url_state.h"

#include "engine_limits.h"
#include "lessons.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace splinescope {

namespace {

constexpr std::size_t kMaxUrlChars = 16384;   // longer text is cut (with a note)
constexpr std::size_t kMaxCaptionChars = 600;
constexpr std::size_t kMaxNotes = 8;          // further problems are counted in one more note
constexpr double kMaxSeed = 9007199254740991.0; // 2^53 - 1: exact in a JavaScript number
constexpr double kPi = 3.14159265358979323846;

// -----------------------------------------------------------------------------------------------
// [SECTION] Text helpers
// -----------------------------------------------------------------------------------------------

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// A value quoted for a note: printable ASCII, at most 40 characters.
std::string shown(const std::string& value) {
  std::string out;
  for (char c : value.substr(0, 40))
    out += (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) ? '?' : c;
  if (value.size() > 40) out += "...";
  return "'" + out + "'";
}

bool parse_number(const std::string& text, double* out) {
  if (text.empty() || text.size() > 64 || std::isspace(static_cast<unsigned char>(text[0])))
    return false;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool parse_bool(const std::string& text, bool* out) {
  static const char* const yes[] = {"1", "true", "yes", "on"};
  static const char* const no[] = {"0", "false", "no", "off"};
  for (const char* y : yes)
    if (text == y) return *out = true, true;
  for (const char* n : no)
    if (text == n) return *out = false, true;
  return false;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Value readers
// -----------------------------------------------------------------------------------------------

// Clamps v into [lo, hi], saying so in *note.
double clamped(double v, double lo, double hi, std::string* note) {
  if (v >= lo && v <= hi) return v;
  const double c = v < lo ? lo : hi;
  *note = format_number(v) + " is " + (v < lo ? "below the minimum " : "above the maximum ") +
          format_number(c) + "; using " + format_number(c);
  return c;
}

bool read_real(const std::string& value, double lo, double hi, double* out, std::string* note) {
  double v;
  if (!parse_number(value, &v)) return false;
  *out = clamped(v, lo, hi, note);
  return true;
}

template <class Int>
bool read_whole(const std::string& value, double lo, double hi, Int* out, std::string* note) {
  double v;
  if (!parse_number(value, &v) || v != std::floor(v)) return false;
  *out = static_cast<Int>(clamped(v, lo, hi, note));
  return true;
}

} // namespace

// Number formatting and percent-encoding are part of the interface (url_state.h).
std::string format_number(double value) {
  if (!std::isfinite(value)) return "0";
  char buf[40];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

std::string format_number(float value) {
  if (!std::isfinite(value)) return "0";
  char buf[40];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(value));
    if (std::strtof(buf, nullptr) == value) break;
  }
  return format_number(std::strtod(buf, nullptr));
}

double shortest_double(float value) {
  return std::isfinite(value) ? std::strtod(format_number(value).c_str(), nullptr) : 0.0;
}

std::string url_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string url_decode(const std::string& text) {
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() + 0 && digit(text[i + 1]) >= 0 &&
               digit(text[i + 2]) >= 0) {
      out += static_cast<char>(digit(text[i + 1]) * 16 + digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {

// -----------------------------------------------------------------------------------------------
// [SECTION] The key table
// -----------------------------------------------------------------------------------------------

// Table entries for the common kinds of key. `expr` names the field through `s`; the writer
// reads it through the same expression (hence the const_cast, which never writes).
// Real-valued key in [lo, hi].
#define SS_REAL(name, group, description, expr, lo, hi)                                          \
  UrlKey {                                                                                        \
    name, group, description,                                                                     \
        [](PageState& s, const std::string& v, std::string* note) {                               \
          return read_real(v, lo, hi, &(expr), note);                                             \
        },                                                                                        \
        [](const PageState& cs) {                                                                 \
          PageState& s = const_cast<PageState&>(cs);                                              \
          return format_number(expr);                                                             \
        }                                                                                         \
  }

// Whole-number key in [lo, hi].
#define SS_WHOLE(name, group, description, expr, lo, hi)                                         \
  UrlKey {                                                                                        \
    name, group, description,                                                                     \
        [](PageState& s, const std::string& v, std::string* note) {                               \
          return read_whole(v, lo, hi, &(expr), note);                                            \
        },                                                                                        \
        [](const PageState& cs) {                                                                 \
          PageState& s = const_cast<PageState&>(cs);                                              \
          return format_number(static_cast<double>(expr));                                       \
        }                                                                                         \
  }

#define SS_BOOL(name, group, description, expr)                                                  \
  UrlKey {                                                                                        \
    name, group, description,                                                                     \
        [](PageState& s, const std::string& v, std::string*) { return parse_bool(v, &(expr)); },  \
        [](const PageState& cs) {                                                                 \
          PageState& s = const_cast<PageState&>(cs);                                              \
          return std::string((expr) ? "1" : "0");                                                 \
        }                                                                                         \
  }

// Enum key read with parse_fn and written with to_string.
#define SS_ENUM(name, group, description, expr, parse_fn)                                        \
  UrlKey {                                                                                        \
    name, group, description,                                                                     \
        [](PageState& s, const std::string& v, std::string*) { return parse_fn(v, &(expr)); },    \
        [](const PageState& cs) {                                                                 \
          PageState& s = const_cast<PageState&>(cs);                                              \
          return std::string(to_string(expr));                                                    \
        }                                                                                         \
  }

bool read_dataset(PageState& s, const std::string& v, std::string*) {
  if (!find_dataset(v)) return false;
  if (v != s.session.data.name) s.session.data.classes = 0; // the generator's default
  s.session.data.name = v;
  return true;
}

// Three indices of the published training set, "12,345,6789"; "" the default three.
bool read_images(PageState& s, const std::string& v, std::string*) {
  if (v.empty()) {
    s.images = {{-1, -1, -1}};
    return true;
  }
  const std::vector<std::string> parts = split(v, ',');
  if (parts.size() != 3) return false;
  std::array<long, 3> images{};
  for (int k = 0; k < 3; ++k) {
    int index = 0;
    std::string clamp_note;
    if (!read_whole(parts[k], 0, 59999, &index, &clamp_note) || !clamp_note.empty()) return false;
    images[k] = index;
  }
  s.images = images;
  return true;
}

std::string write_images(const PageState& s) {
  if (s.images[0] < 0) return "";
  return std::to_string(s.images[0]) + "," + std::to_string(s.images[1]) + "," + std::to_string(s.images[2]);
}

bool read_layers(PageState& s, const std::string& v, std::string* note) {
  std::vector<std::string> parts = split(v, ',');
  if (parts.size() > static_cast<std::size_t>(kMaxHiddenLayers)) {
    *note = std::to_string(parts.size()) + " layers are more than the maximum " +
            std::to_string(kMaxHiddenLayers) + "; keeping the first " +
            std::to_string(kMaxHiddenLayers);
    parts.resize(kMaxHiddenLayers);
  }
  std::vector<int> widths;
  for (const std::string& p : parts) {
    int w = 0;
    std::string clamp_note;
    if (!read_whole(p, 1, kMaxWidth, &w, &clamp_note)) return false;
    if (!clamp_note.empty() && note->empty()) *note = "width " + clamp_note;
    widths.push_back(w);
  }
  s.session.network.hidden = widths;
  return true;
}

std::string write_layers(const PageState& s) {
  std::string out;
  for (int w : s.session.network.hidden) out += (out.empty() ? "" : ",") + std::to_string(w);
  return out;
}

// One activation for every layer, or a comma list with one per layer.
bool read_activation(PageState& s, const std::string& v, std::string*) {
  std::vector<Activation> acts;
  for (const std::string& p : split(v, ',')) {
    Activation a;
    if (!parse_activation(p, &a)) return false;
    acts.push_back(a);
  }
  if (acts.size() > static_cast<std::size_t>(kMaxHiddenLayers)) return false;
  s.session.network.activation = acts[0];
  s.session.network.layer_activations.clear();
  if (acts.size() > 1) s.session.network.layer_activations = acts;
  return true;
}

std::string write_activation(const PageState& s) {
  const NetworkSpec& n = s.session.network;
  if (n.layer_activations.empty()) return to_string(n.activation);
  std::string out;
  for (Activation a : n.layer_activations) out += (out.empty() ? "" : ",") + std::string(to_string(a));
  return out;
}

// "x,y,r": centre and half the shorter side; "fit" for the default.
bool read_window(PageState& s, const std::string& v, std::string* note) {
  if (v == "fit") {
    const PageState defaults;
    s.view_x = defaults.view_x, s.view_y = defaults.view_y, s.view_radius = defaults.view_radius;
    s.view_fit = true;
    return true;
  }
  const std::vector<std::string> parts = split(v, ',');
  double c[3];
  if (parts.size() != 3) return false;
  for (int i = 0; i < 3; ++i)
    if (!parse_number(parts[i], &c[i])) return false;
  std::string centre_note;
  s.view_x = clamped(c[0], -1e6, 1e6, &centre_note);
  s.view_y = clamped(c[1], -1e6, 1e6, &centre_note);
  s.view_radius = clamped(c[2], 1e-4, 1e4, note);
  if (note->empty()) *note = centre_note;
  s.view_fit = false;
  return true;
}

// A number to `digits` significant digits: pan, zoom and the camera's single-precision angles
// leave binary noise that a link need not carry.
std::string short_number(double v, int digits = 10) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return format_number(std::strtod(buf, nullptr));
}

std::string write_window(const PageState& s) {
  if (s.view_fit) return "fit";
  return short_number(s.view_x) + "," + short_number(s.view_y) + "," +
         short_number(s.view_radius);
}

// "layer.unit": layer 1-based, unit 0-based; "none" for no highlight.
bool read_neuron(PageState& s, const std::string& v, std::string* note) {
  if (v == "none" || v == "0") {
    s.neuron_layer = s.neuron_unit = 0;
    return true;
  }
  const std::vector<std::string> parts = split(v, '.');
  int layer = 0, unit = 0;
  if (parts.size() != 2 || !read_whole(parts[0], 1, kMaxHiddenLayers, &layer, note) ||
      !read_whole(parts[1], 0, kMaxWidth - 1, &unit, note))
    return false;
  s.neuron_layer = layer;
  s.neuron_unit = unit;
  return true;
}

std::string write_neuron(const PageState& s) {
  if (s.neuron_layer <= 0) return "none";
  return std::to_string(s.neuron_layer) + "." + std::to_string(s.neuron_unit);
}

bool read_orbit(PageState& s, const std::string& v, std::string* note) {
  const std::vector<std::string> parts = split(v, ',');
  double yaw, pitch;
  if (parts.size() != 2 || !parse_number(parts[0], &yaw) || !parse_number(parts[1], &pitch))
    return false;
  s.orbit_yaw = std::remainder(yaw, 2 * kPi);
  s.orbit_pitch = clamped(pitch, 0.05, 1.55, note);
  return true;
}

std::string write_orbit(const PageState& s) {
  return short_number(s.orbit_yaw, 6) + "," + short_number(s.orbit_pitch, 6);
}

bool read_code_layers(PageState& s, const std::string& v, std::string* note) {
  if (v == "all") {
    s.code_layers = -1;
    return true;
  }
  return read_whole(v, 1, kMaxHiddenLayers, &s.code_layers, note);
}

std::string write_code_layers(const PageState& s) {
  return s.code_layers < 0 ? "all" : std::to_string(s.code_layers);
}

struct PanelName {
  const char* name;
  unsigned bit;
};
const PanelName kPanelNames[] = {
    {"controls", kPanelControls}, {"data", kPanelData},       {"network", kPanelNetwork},
    {"optimizer", kPanelOptimizer}, {"view", kPanelView},     {"export", kPanelExport},
    {"charts", kPanelCharts},     {"lessons", kPanelLessons}, {"inspector", kPanelInspector},
    {"graph", kPanelGraph}};

bool read_panels(PageState& s, const std::string& v, std::string* note) {
  if (v == "all") return s.panels = kAllPanels, true;
  if (v == "none" || v.empty()) return s.panels = 0, true;
  unsigned bits = 0;
  std::string unknown;
  for (const std::string& p : split(v, ',')) {
    bool found = false;
    for (const PanelName& n : kPanelNames)
      if (p == n.name) bits |= n.bit, found = true;
    if (!found) unknown += (unknown.empty() ? "" : ", ") + shown(p);
  }
  if (!unknown.empty()) *note = "unknown panel " + unknown + " ignored";
  s.panels = bits;
  return true;
}

std::string write_panels(const PageState& s) {
  if (s.panels == kAllPanels) return "all";
  std::string out;
  for (const PanelName& n : kPanelNames)
    if (s.panels & n.bit) out += (out.empty() ? "" : ",") + std::string(n.name);
  return out.empty() ? "none" : out;
}

bool read_caption(PageState& s, const std::string& v, std::string* note) {
  s.caption = v;
  if (s.caption.size() > kMaxCaptionChars) {
    s.caption.resize(kMaxCaptionChars);
    *note = "longer than " + std::to_string(kMaxCaptionChars) + " characters; cut";
  }
  return true;
}

bool read_lesson(PageState& s, const std::string& v, std::string*) {
  if (!find_lesson(v)) return false;
  s.lesson = v;
  return true;
}

bool read_seed(PageState& s, const std::string& v, std::string* note) {
  double seed = 0;
  if (!read_whole(v, 0, kMaxSeed, &seed, note)) return false;
  s.session.seed = static_cast<std::uint64_t>(seed);
  return true;
}

// "max" (as fast as possible) or steps per second.
bool read_pace(PageState& s, const std::string& v, std::string* note) {
  if (v == "max" || v == "fastest") {
    s.pace = 0;
    return true;
  }
  return read_real(v, kMinPace, kMaxPace, &s.pace, note);
}
std::string write_pace(const PageState& s) { return s.pace > 0 ? format_number(s.pace) : "max"; }

bool read_compare(PageState& s, const std::string& v, std::string* note);
bool read_bn_view(PageState& s, const std::string& v, std::string*) {
  if (v != "batch" && v != "running") return false;
  s.bn_batch = v == "batch";
  return true;
}
std::string write_compare(const PageState& s) {
  std::string out;
  for (std::size_t i = 0; i < s.compare.size(); ++i) out += (i ? "|" : "") + s.compare[i];
  return out;
}

const std::vector<UrlKey> kKeys = {
    // Data
    {"data", "Data", "dataset: moons, circles, xor, blobs, spiral, checkerboard, plane, ripple, bumps; "
     "on the line intervals, sine, step, abs, cubic; images: fashion-mnist (loaded when chosen)",
     read_dataset, [](const PageState& s) { return s.session.data.name; }},
    {"images", "Data",
     "image data: the plane through three training images, by index in the published training "
     "set, e.g. 0,1,6 (default: a T-shirt, a trouser and a sneaker)",
     read_images, write_images},
    {"plane", "Data",
     "image data: the plane's axes, affine (a, b, c at (0, 0), (1, 0), (0, 1); the default) or "
     "orthonormal (lengths and areas as in pixel space)",
     [](PageState& s, const std::string& v, std::string*) {
       if (v != "affine" && v != "orthonormal") return false;
       s.plane_orthonormal = v == "orthonormal";
       return true;
     },
     [](const PageState& s) { return std::string(s.plane_orthonormal ? "orthonormal" : "affine"); }},
    SS_WHOLE("n", "Data", "number of points, 4 to 100000", s.session.data.n, 4, kMaxDatasetPoints),
    SS_REAL("noise", "Data", "noise, 0 to 1", s.session.data.noise, 0.0, 1.0),
    SS_WHOLE("classes", "Data",
             "classes: blobs and spiral 2 to 10, intervals 2 to 4; 0 = the dataset's default",
             s.session.data.classes, 0, kMaxToyClasses),
    SS_REAL("split", "Data", "fraction of points used for training, 0.05 to 1",
            s.session.data.train_fraction, 0.05, 1.0),
    {"seed", "Data", "one seed for the data, the initialisation and the batch order", read_seed,
     [](const PageState& s) { return format_number(static_cast<double>(s.session.seed)); }},
    // Network
    {"layers", "Network", "hidden widths, e.g. 16,16,16 (1 to 8 layers of 1 to 64)", read_layers,
     write_layers},
    {"act", "Network", "activation: relu, leaky_relu, abs, linear; or one per layer, e.g. relu,abs",
     read_activation, write_activation},
    SS_REAL("alpha", "Network", "leaky ReLU slope for negative inputs, 0 to 0.99",
            s.session.network.leaky_alpha, 0.0, 0.99),
    SS_BOOL("bn", "Network", "batch normalisation after each hidden layer: 0 or 1",
            s.session.network.batch_norm),
    SS_ENUM("init", "Network", "weights: he_normal, he_uniform, glorot_normal, glorot_uniform, uniform",
            s.session.network.init, parse_init),
    SS_REAL("init_scale", "Network", "range a of uniform initialisation (weights in [-a, a])",
            s.session.network.init_scale, 1e-6, 100.0),
    SS_ENUM("bias", "Network", "biases: zero, small (0.01) or normal", s.session.network.bias_init,
            parse_bias_init),
    SS_REAL("bias_scale", "Network", "standard deviation of normal biases, 0 to 100",
            s.session.network.bias_scale, 0.0, 100.0),
    // Training
    SS_ENUM("loss", "Training", "loss: automatic, logistic, softmax, mse", s.session.train.loss,
            parse_loss),
    SS_ENUM("opt", "Training", "optimiser: sgd, momentum, adam, adamw", s.session.train.optimizer,
            parse_optimizer),
    SS_REAL("lr", "Training", "learning rate, 0.000001 to 10", s.session.train.learning_rate, 1e-6,
            10.0),
    SS_WHOLE("batch", "Training", "batch size, 1 to 4096", s.session.train.batch_size, 1, 4096),
    SS_REAL("momentum", "Training", "momentum (optimiser momentum), 0 to 0.999",
            s.session.train.momentum, 0.0, 0.999),
    SS_BOOL("nesterov", "Training", "Nesterov momentum: 0 or 1", s.session.train.nesterov),
    SS_REAL("beta1", "Training", "Adam beta1, 0 to 0.999", s.session.train.beta1, 0.0, 0.999),
    SS_REAL("beta2", "Training", "Adam beta2, 0 to 0.99999", s.session.train.beta2, 0.0, 0.99999),
    SS_REAL("wd", "Training", "AdamW weight decay, 0 to 1", s.session.train.weight_decay, 0.0, 1.0),
    SS_REAL("l1", "Training", "L1 penalty, 0 to 10", s.session.train.l1, 0.0, 10.0),
    SS_REAL("l2", "Training", "L2 penalty, 0 to 10", s.session.train.l2, 0.0, 10.0),
    SS_ENUM("schedule", "Training", "learning-rate schedule: constant, step, cosine",
            s.session.train.schedule, parse_schedule),
    SS_WHOLE("step_every", "Training", "step schedule: steps between rate cuts",
             s.session.train.step_every, 1, 1e9),
    SS_REAL("gamma", "Training", "step schedule: factor per cut, 0.000001 to 1",
            s.session.train.step_gamma, 1e-6, 1.0),
    SS_WHOLE("cosine_steps", "Training", "cosine schedule: steps to the floor",
             s.session.train.cosine_steps, 1, 1e9),
    SS_REAL("floor", "Training", "cosine schedule: final rate as a fraction, 0 to 1",
            s.session.train.cosine_floor, 0.0, 1.0),
    SS_REAL("clip", "Training", "gradient norm clipping (0: off)", s.session.train.clip_norm, 0.0,
            1e6),
    {"pace", "Training",
     "training pace in steps per second, 1 to 10000, or max (as fast as possible)", read_pace,
     write_pace},
    SS_REAL("speed", "Training",
            "at pace max, the share of the machine training takes, 0.05 to 4 (1: the worker trains "
            "40 % of its time, 2.5: all of it); a link with speed and no pace trains at pace max",
            s.speed, 0.05, 4.0),
    SS_BOOL("play", "Training", "start training when the page opens: 0 or 1", s.autoplay),
    SS_WHOLE("steps", "Training", "train this many steps, then pause (starts training; 0: no limit)",
             s.run_steps, 0, 1e9),
    // View
    {"view", "View",
     "input window: centre x,y of the canvas and half its shorter side r, or fit (the default: "
     "radius 3 about the origin, beside the settings panel)",
     read_window, write_window},
    SS_ENUM("color", "View", "tile colours: code, gradient, output, class", s.color_mode,
            parse_color_mode),
    SS_WHOLE("out", "View", "output shown by the output and gradient colours and in 3-D",
             s.output_index, 0, kMaxOutputs - 1),
    {"layer", "View", "colour by the codes of layers 1..l only, or all", read_code_layers,
     write_code_layers},
    {"neuron", "View", "highlighted neuron layer.unit (layer from 1, unit from 0), or none",
     read_neuron, write_neuron},
    SS_BOOL("edges", "View", "tile edges: 0 or 1", s.edges),
    SS_ENUM("edgecolor", "View",
            "edge colours: mono (dark) or layer (the colour of the layer whose neuron made it)",
            s.edge_colour, parse_edge_colour),
    SS_BOOL("boundary", "View", "decision boundary: 0 or 1", s.boundary),
    SS_BOOL("points", "View", "data points: 0 or 1", s.points),
    SS_BOOL("test", "View", "test points: 0 or 1", s.test_points),
    SS_BOOL("exact", "View", "exact tiles as polygons (1) or per-pixel codes (0)", s.exact),
    {"bn_view", "View",
     "batch norm drawn with: running (the running averages, as the network is evaluated) or batch "
     "(a new training batch's statistics twice a second: the tiles as training sees them)",
     read_bn_view, [](const PageState& s) { return std::string(s.bn_batch ? "batch" : "running"); }},
    SS_REAL("ui_scale", "View",
            "size of the interface's text and controls, 0.75 to 2.5 (1.5 for a projector)",
            s.ui_scale, 0.75, 2.5),
    SS_ENUM("theme", "View",
            "colours: auto (the reader's light or dark preference), light (for slides and print) or dark",
            s.theme, parse_theme),
    SS_BOOL("3d", "View", "3-D view of the surface f(x) above the tiles: 0 or 1", s.view_3d),
    {"orbit", "View", "3-D camera yaw,pitch in radians", read_orbit, write_orbit},
    // Embedding
    SS_BOOL("embed", "Embedding", "compact page for iframes: 0 or 1", s.embed),
    {"panels", "Embedding",
     "panels shown: all, none, or a list of controls, data, network, optimizer, view, export, "
     "charts, lessons, inspector",
     read_panels, write_panels},
    {"caption", "Embedding", "a caption under the canvas (text)", read_caption,
     [](const PageState& s) { return s.caption; }},
    {"lesson", "Embedding", "start from a lesson (see the lessons gallery); other keys override it",
     read_lesson, [](const PageState& s) { return s.lesson; }},
    // Compare
    {"compare", "Compare",
     "compare mode: 2 to 4 panes side by side, separated by |, each the page's settings with its "
     "own Network and Training keys as key:value, ';' between them, e.g. bn:0|bn:1 or "
     "layers:64;lr:0.01|layers:16,16,16",
     read_compare, write_compare},
};

#undef SS_REAL
#undef SS_WHOLE
#undef SS_BOOL
#undef SS_ENUM

const UrlKey* find_key(const std::string& name) {
  for (const UrlKey& k : kKeys)
    if (name == k.name) return &k;
  return nullptr;
}

// The keys a compare pane may set: the Network and Training keys of a run.
bool pane_key(const UrlKey& key) {
  const std::string group = key.group, name = key.name;
  return (group == "Network" || group == "Training") && name != "pace" && name != "speed" &&
         name != "play" && name != "steps";
}

bool read_compare(PageState& s, const std::string& v, std::string* note) {
  if (v.empty() || v == "off" || v == "0") {
    s.compare.clear();
    return true;
  }
  std::vector<std::string> panes = split(v, '|');
  if (panes.size() < 2) return false;
  std::string notes;
  if (panes.size() > static_cast<std::size_t>(kMaxComparePanes)) {
    notes = std::to_string(panes.size()) + " panes; using the first " + std::to_string(kMaxComparePanes);
    panes.resize(kMaxComparePanes);
  }
  s.compare.clear();
  for (const std::string& spec : panes) {
    std::vector<std::string> pane_notes;
    std::string canonical;
    compare_pane_config(SessionConfig{}, spec, &pane_notes, &canonical);
    for (const std::string& n : pane_notes) notes += (notes.empty() ? "" : "; ") + n;
    s.compare.push_back(canonical);
  }
  *note = notes;
  return true;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Decode and encode
// -----------------------------------------------------------------------------------------------

// The key=value pairs of the query and the fragment of `text`, in order.
std::vector<std::pair<std::string, std::string>> pairs_of(const std::string& text) {
  std::string parts = text;
  const std::size_t query = parts.find('?'), fragment = parts.find('#');
  if (query != std::string::npos || fragment != std::string::npos) {
    std::string q, f;
    if (fragment != std::string::npos) f = parts.substr(fragment + 1);
    if (query != std::string::npos && (fragment == std::string::npos || query < fragment))
      q = parts.substr(query + 1, fragment == std::string::npos ? std::string::npos
                                                                 : fragment - query - 1);
    parts = q + "&" + f;
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& item : split(parts, '&')) {
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    out.emplace_back(url_decode(item.substr(0, eq)),
                     eq == std::string::npos ? std::string() : url_decode(item.substr(eq + 1)));
  }
  return out;
}

// Settings that depend on each other, brought into range once every key is read.
void reconcile(PageState& s, const PageState& base, std::vector<std::string>* notes) {
  SessionConfig& c = s.session;
  if (const DatasetInfo* info = find_dataset(c.data.name)) {
    if (info->regression) {
      c.data.classes = 0;
    } else if (c.data.classes != 0 &&
               (c.data.classes < info->min_classes || c.data.classes > info->max_classes)) {
      const int fixed = std::clamp(c.data.classes, info->min_classes, info->max_classes);
      notes->push_back("classes: " + c.data.name + " takes " + std::to_string(info->min_classes) +
                       " to " + std::to_string(info->max_classes) + " classes; using " +
                       std::to_string(fixed));
      c.data.classes = fixed;
    }
  }
  const int hidden = static_cast<int>(c.network.hidden.size());
  if (!c.network.layer_activations.empty() &&
      static_cast<int>(c.network.layer_activations.size()) != hidden) {
    notes->push_back("act: " + std::to_string(c.network.layer_activations.size()) +
                     " activations for " + std::to_string(hidden) + " layers; using " +
                     to_string(c.network.layer_activations[0]) + " for all");
    c.network.layer_activations.clear();
  }
  // A loss must fit the data: mse for regression, logistic for two classes, softmax for more.
  if (const DatasetInfo* info = find_dataset(c.data.name); info && c.train.loss != Loss::automatic) {
    const int k = resolved_classes(c.data);
    const Loss fitting = info->regression ? Loss::mse : k <= 2 ? Loss::logistic : Loss::softmax;
    if (c.train.loss != fitting) {
      notes->push_back(std::string("loss: ") + to_string(c.train.loss) + " does not fit " +
                       c.data.name + " (it needs " + to_string(fitting) + "); using automatic");
      c.train.loss = Loss::automatic;
    }
  }
  const std::string problem = validate(c);
  if (!problem.empty()) {
    notes->push_back("settings: " + problem + "; using the previous data, network and training");
    s.session = base.session;
  }
  const int classes = resolved_classes(s.session.data);
  const int outputs = classes <= 2 ? 1 : classes;
  if (s.output_index >= outputs) {
    notes->push_back("out: the network has " + std::to_string(outputs) + " output" +
                     (outputs == 1 ? "" : "s") + "; using 0");
    s.output_index = 0;
  }
  const int layers = static_cast<int>(s.session.network.hidden.size());
  if (s.code_layers > layers) s.code_layers = -1; // all of them
  if (s.neuron_layer > layers) {
    notes->push_back("neuron: the network has " + std::to_string(layers) + " hidden layers");
    s.neuron_layer = s.neuron_unit = 0;
  } else if (s.neuron_layer > 0 && s.neuron_unit >= s.session.network.hidden[s.neuron_layer - 1]) {
    notes->push_back("neuron: layer " + std::to_string(s.neuron_layer) + " has " +
                     std::to_string(s.session.network.hidden[s.neuron_layer - 1]) + " neurons");
    s.neuron_unit = 0;
  }
}

} // namespace

const std::vector<UrlKey>& url_keys() { return kKeys; }

SessionConfig compare_pane_config(const SessionConfig& base, const std::string& spec,
                                  std::vector<std::string>* notes, std::string* canonical) {
  PageState s;
  s.session = base;
  std::vector<const UrlKey*> given;
  for (const std::string& item : split(spec, ';')) {
    if (item.empty()) continue;
    const std::size_t colon = item.find(':');
    const std::string name = item.substr(0, colon);
    const std::string value = colon == std::string::npos ? std::string() : item.substr(colon + 1);
    const UrlKey* key = find_key(name);
    if (!key || !pane_key(*key)) {
      notes->push_back("compare: " + shown(name) +
                       " is not a setting a pane can change (Network and Training keys can)");
      continue;
    }
    std::string note;
    const PageState before = s;
    if (!key->read(s, value, &note)) {
      s = before;
      notes->push_back("compare: " + name + ":" + shown(value) + " is not valid (" + key->description + ")");
      continue;
    }
    if (!note.empty()) notes->push_back("compare: " + name + ": " + note);
    if (std::find(given.begin(), given.end(), key) == given.end()) given.push_back(key);
  }
  const std::string problem = validate(s.session);
  if (!problem.empty()) {
    notes->push_back("compare: " + shown(spec) + ": " + problem + "; that pane uses the page's settings");
    s.session = base;
    given.clear();
  }
  if (canonical) {
    canonical->clear();
    for (const UrlKey& key : kKeys)
      if (std::find(given.begin(), given.end(), &key) != given.end())
        *canonical += (canonical->empty() ? "" : ";") + std::string(key.name) + ":" + key.write(s);
  }
  return s.session;
}

Window window_around(double x, double y, double radius, int width, int height) {
  const double aspect = width > 0 && height > 0 ? static_cast<double>(width) / height : 1.0;
  const double rx = aspect >= 1 ? radius * aspect : radius;
  const double ry = aspect >= 1 ? radius : radius / aspect;
  return Window{x - rx, x + rx, y - ry, y + ry};
}

DecodedState decode_page_state(const std::string& text_in, const PageState& base) {
  DecodedState out{base, {}};
  std::vector<std::string>& notes = out.notes;
  std::string text = text_in;
  if (text.size() > kMaxUrlChars) {
    notes.push_back("the address is longer than " + std::to_string(kMaxUrlChars) +
                    " characters; the rest is ignored");
    text.resize(kMaxUrlChars);
  }
  // Table order, last value of a repeated key: the result does not depend on the order of keys.
  std::map<std::string, std::string> values;
  std::vector<std::string> unknown;
  for (const auto& [name, value] : pairs_of(text)) {
    if (find_key(name))
      values[name] = value;
    else if (std::find(unknown.begin(), unknown.end(), name) == unknown.end())
      unknown.push_back(name);
  }
  for (const std::string& name : unknown) notes.push_back("unknown key " + shown(name) + " ignored");

  PageState& s = out.state;
  // A lesson is a starting point: its own keys over the defaults, then the address's other keys.
  if (auto it = values.find("lesson"); it != values.end()) {
    if (const Lesson* lesson = find_lesson(it->second)) {
      s = decode_page_state(lesson->query).state;
      s.lesson = lesson->id;
    } else {
      notes.push_back("lesson: " + shown(it->second) + " is not a lesson; ignored");
    }
    values.erase(it);
  }
  // Links made before the pace existed trained as fast as possible, at their speed.
  if (values.count("speed") && !values.count("pace")) s.pace = 0;
  for (const UrlKey& key : kKeys) {
    auto it = values.find(key.name);
    if (it == values.end()) continue;
    std::string note;
    PageState before = s;
    if (!key.read(s, it->second, &note)) {
      s = before;
      notes.push_back(std::string(key.name) + ": " + shown(it->second) +
                      " is not valid; keeping " + shown(key.write(s)) + " (" + key.description +
                      ")");
    } else if (!note.empty()) {
      notes.push_back(std::string(key.name) + ": " + note);
    }
  }
  reconcile(s, base, &notes);
  if (notes.size() > kMaxNotes) {
    const std::size_t more = notes.size() - kMaxNotes;
    notes.resize(kMaxNotes);
    notes.push_back("and " + std::to_string(more) + " more problems in the address");
  }
  return out;
}

std::string encode_page_state(const PageState& state) {
  static const PageState defaults;
  std::string out;
  for (const UrlKey& key : kKeys) {
    const std::string value = key.write(state);
    // A speed without a pace reads as pace max (links made before the pace): say the pace.
    const bool pace_needed = std::string(key.name) == "pace" && state.speed != defaults.speed;
    if (value == key.write(defaults) && !pace_needed) continue;
    out += (out.empty() ? "" : "&") + std::string(key.name) + "=" + url_encode(value);
  }
  return out;
}

} // namespace splinescope
