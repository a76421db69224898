// serialize.cpp - JSON reading and writing of networks and sessions (nlohmann/json).
//
// Reading walks the parsed document with a field path ("layers[1].weights[3]") and throws a
// FieldError at the first problem; the public functions turn it into a LoadResult. Sizes are
// checked before any Eigen object is allocated for them.
#include "serialize.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <system_error>

namespace splinescope {

namespace {

// ordered_json keeps fields in the order written ("format" and "version" first), which makes the
// files readable; lookups are linear but objects here have at most a dozen fields.
using Json = nlohmann::ordered_json;

// -----------------------------------------------------------------------------------------------
// [SECTION] Errors and paths
// -----------------------------------------------------------------------------------------------

struct FieldError {
  std::string path;
  std::string reason;
};

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw FieldError{path, reason};
}

std::string message(const FieldError& e) {
  return e.path.empty() ? e.reason : e.path + ": " + e.reason;
}

std::string field(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string element(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string quoted(const std::string& s) {
  // Long strings are cut so that a mistake like a whole file pasted into a field stays readable.
  std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  return Json(shown).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// "a string (\"0.5\")", "an array", ...: what the reader found instead of what it expected.
std::string describe(const Json& j) {
  switch (j.type()) {
  case Json::value_t::null:
    return "null";
  case Json::value_t::object:
    return "an object";
  case Json::value_t::array:
    return "an array";
  case Json::value_t::string:
    return "a string (" + quoted(j.get_ref<const std::string&>()) + ")";
  case Json::value_t::boolean:
    return j.get<bool>() ? "true" : "false";
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
  case Json::value_t::number_float:
    return "the number " + j.dump();
  default:
    return "an unsupported value";
  }
}

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Typed field readers
// -----------------------------------------------------------------------------------------------

void expect_object(const Json& j, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object, got " + describe(j));
}

// Unknown fields are errors: a misspelt optional field would otherwise silently take its default.
void check_fields(const Json& obj, const std::string& path,
                  std::initializer_list<const char*> allowed) {
  for (const auto& item : obj.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || item.key() == name;
    if (!known) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      const std::string& key = item.key();
      fail(field(path, key.size() > 40 ? key.substr(0, 40) + "..." : key),
           "unknown field (known fields: " + join_names(names) + ")");
    }
  }
}

const Json& require(const Json& obj, const std::string& path, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end()) fail(field(path, key), "missing");
  return *it;
}

// The field, or nullptr when it is absent or null (null reads as "use the default").
const Json* optional_field(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

double read_number(const Json& j, const std::string& path) {
  if (!j.is_number()) fail(path, "expected a number, got " + describe(j));
  const double v = j.get<double>();
  if (!std::isfinite(v)) fail(path, "expected a finite number, got " + j.dump());
  return v;
}

double read_number_in(const Json& j, const std::string& path, double lo, double hi, bool hi_open) {
  const double v = read_number(j, path);
  if (v < lo || v > hi || (hi_open && v == hi)) {
    std::ostringstream s;
    s << "must be in [" << lo << ", " << hi << (hi_open ? ")" : "]") << ", got " << j.dump();
    fail(path, s.str());
  }
  return v;
}

long long read_integer(const Json& j, const std::string& path, long long lo, long long hi) {
  std::ostringstream range;
  range << "expected an integer between " << lo << " and " << hi << ", got ";
  if (j.is_number_integer() && !j.is_number_unsigned()) {
    const long long v = j.get<long long>();
    if (v < lo || v > hi) fail(path, range.str() + j.dump());
    return v;
  }
  if (j.is_number_unsigned()) {
    const unsigned long long v = j.get<unsigned long long>();
    if (hi < 0 || v > static_cast<unsigned long long>(hi) || static_cast<long long>(v) < lo)
      fail(path, range.str() + j.dump());
    return static_cast<long long>(v);
  }
  if (j.is_number_float()) {
    // 16.0 is accepted as 16: some writers do not distinguish integers from floats.
    const double v = j.get<double>();
    if (!(v == std::floor(v)) || v < static_cast<double>(lo) || v > static_cast<double>(hi))
      fail(path, range.str() + j.dump());
    return static_cast<long long>(v);
  }
  fail(path, range.str() + describe(j));
}

int read_int(const Json& j, const std::string& path, int lo, int hi) {
  return static_cast<int>(read_integer(j, path, lo, hi));
}

std::string read_string(const Json& j, const std::string& path) {
  if (!j.is_string()) fail(path, "expected a string, got " + describe(j));
  return j.get<std::string>();
}

bool read_bool(const Json& j, const std::string& path) {
  if (!j.is_boolean()) fail(path, "expected true or false, got " + describe(j));
  return j.get<bool>();
}

const Json& read_array(const Json& j, const std::string& path) {
  if (!j.is_array()) fail(path, "expected an array, got " + describe(j));
  return j;
}

// n numbers; `why` says where n comes from ("one per row of weights").
Eigen::VectorXd read_vector(const Json& j, const std::string& path, int n, const std::string& why) {
  read_array(j, path);
  if (j.size() != static_cast<std::size_t>(n))
    fail(path, "expected " + std::to_string(n) + (n == 1 ? " number (" : " numbers (") + why +
                   "), got " + std::to_string(j.size()));
  Eigen::VectorXd v(n); // (n)
  for (int i = 0; i < n; ++i) v(i) = read_number(j[static_cast<std::size_t>(i)], element(path, i));
  return v;
}

Activation read_activation(const Json& j, const std::string& path) {
  const std::string name = read_string(j, path);
  Activation a;
  if (!parse_activation(name, &a))
    fail(path, "unknown activation " + quoted(name) +
                   " (valid: " + join_names(enum_names<Activation>()) + ")");
  return a;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Documents
// -----------------------------------------------------------------------------------------------

// Rejects non-JSON with the parser's line and column, and texts beyond kMaxJsonBytes unread.
Json parse_document(const std::string& text) {
  if (text.size() > kMaxJsonBytes)
    fail("", "the text is " + std::to_string(text.size()) + " bytes long, more than the limit of " +
                 std::to_string(kMaxJsonBytes) + " bytes");
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." without the prefix.
    std::string what = e.what();
    const auto close = what.find("] ");
    if (what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    std::string hint;
    if (text.find("NaN") != std::string::npos || text.find("Infinity") != std::string::npos)
      hint = " (NaN and Infinity are not valid in JSON, and the weights must be finite)";
    fail("", "not valid JSON: " + what + hint);
  }
}

// The format and version fields, checked first so that a newer file gets the version message
// rather than complaints about fields this build does not know.
void check_header(const Json& doc, const char* format, int version) {
  if (!doc.is_object()) fail("", "expected a JSON object at the top level, got " + describe(doc));
  const auto it = doc.find("format");
  if (it == doc.end()) fail("format", std::string("missing (expected \"") + format + "\")");
  const std::string got = read_string(*it, "format");
  if (got != format) fail("format", std::string("expected \"") + format + "\", got " + quoted(got));
  const Json& v = require(doc, "", "version");
  const long long n = read_integer(v, "version", -1000000000LL, 1000000000LL);
  if (n > version)
    fail("version", "this is version " + std::to_string(n) + " of the " + format +
                        " format, but this build of SplineScope reads version " +
                        std::to_string(version) + " only; open it with a newer SplineScope");
  if (n != version) fail("version", "expected " + std::to_string(version) + ", got " + v.dump());
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Networks
// -----------------------------------------------------------------------------------------------

Json to_json(const Eigen::VectorXd& v) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(v(i));
  return a;
}

Json network_json(const Network& net) {
  Json doc;
  doc["format"] = kNetworkFormat;
  doc["version"] = kNetworkFormatVersion;
  doc["input_dim"] = net.input_dim;
  Json layers = Json::array();
  for (const Layer& layer : net.layers) {
    Json l;
    l["activation"] = to_string(layer.activation);
    l["alpha"] = layer.alpha;
    Json rows = Json::array();
    for (Eigen::Index i = 0; i < layer.W.rows(); ++i)
      rows.push_back(to_json(layer.W.row(i).transpose()));
    l["weights"] = std::move(rows);
    l["bias"] = to_json(layer.b);
    if (layer.batch_norm) {
      Json bn;
      bn["gamma"] = to_json(layer.bn.gamma);
      bn["beta"] = to_json(layer.bn.beta);
      bn["running_mean"] = to_json(layer.bn.running_mean);
      bn["running_var"] = to_json(layer.bn.running_var);
      bn["eps"] = layer.bn.eps;
      bn["momentum"] = layer.bn.momentum;
      l["batch_norm"] = std::move(bn);
    }
    layers.push_back(std::move(l));
  }
  doc["layers"] = std::move(layers);
  return doc;
}

BatchNorm read_batch_norm(const Json& j, const std::string& path, int width) {
  expect_object(j, path);
  check_fields(j, path, {"gamma", "beta", "running_mean", "running_var", "eps", "momentum"});
  const std::string why = "one per neuron of the layer";
  BatchNorm bn;
  bn.gamma = read_vector(require(j, path, "gamma"), field(path, "gamma"), width, why);
  bn.beta = read_vector(require(j, path, "beta"), field(path, "beta"), width, why);
  bn.running_mean =
      read_vector(require(j, path, "running_mean"), field(path, "running_mean"), width, why);
  bn.running_var =
      read_vector(require(j, path, "running_var"), field(path, "running_var"), width, why);
  for (int i = 0; i < width; ++i)
    if (bn.running_var(i) < 0)
      fail(element(field(path, "running_var"), i), "a variance cannot be negative");
  if (const Json* eps = optional_field(j, "eps")) {
    bn.eps = read_number(*eps, field(path, "eps"));
    if (!(bn.eps > 0)) fail(field(path, "eps"), "must be positive, got " + eps->dump());
  }
  if (const Json* m = optional_field(j, "momentum"))
    bn.momentum = read_number_in(*m, field(path, "momentum"), 0.0, 1.0, false);
  return bn;
}

Layer read_layer(const Json& j, const std::string& path, int fan_in, const std::string& fan_in_why,
                 bool is_output) {
  expect_object(j, path);
  check_fields(j, path, {"activation", "alpha", "weights", "bias", "batch_norm"});
  Layer layer;
  layer.activation = read_activation(require(j, path, "activation"), field(path, "activation"));
  if (is_output && layer.activation != Activation::linear)
    fail(field(path, "activation"),
         std::string("the last layer is the output layer and must be \"linear\", got \"") +
             to_string(layer.activation) +
             "\" (add a linear layer after it, or drop the final activation when exporting)");
  if (const Json* alpha = optional_field(j, "alpha"))
    layer.alpha = read_number_in(*alpha, field(path, "alpha"), 0.0, 1.0, true);

  // Rows are counted before the matrix is allocated, so an absurd size costs nothing.
  const std::string wpath = field(path, "weights");
  const Json& rows = read_array(require(j, path, "weights"), wpath);
  const int max_rows = is_output ? kMaxOutputs : kMaxWidth;
  if (rows.empty()) fail(wpath, "empty (a layer needs at least one neuron, one row per neuron)");
  if (rows.size() > static_cast<std::size_t>(max_rows))
    fail(wpath, std::to_string(rows.size()) + " rows, more than the limit of " +
                    std::to_string(max_rows) +
                    (is_output ? " outputs" : " neurons per hidden layer"));
  const int width = static_cast<int>(rows.size());
  layer.W.resize(width, fan_in); // (width, fan_in)
  for (int i = 0; i < width; ++i) {
    const std::string rpath = element(wpath, i);
    const Json& row = read_array(rows[static_cast<std::size_t>(i)], rpath);
    if (row.size() != static_cast<std::size_t>(fan_in))
      fail(rpath, "expected " + std::to_string(fan_in) +
                      (fan_in == 1 ? " column (" : " columns (") + fan_in_why + "), got " +
                      std::to_string(row.size()));
    for (int k = 0; k < fan_in; ++k)
      layer.W(i, k) = read_number(row[static_cast<std::size_t>(k)], element(rpath, k));
  }
  layer.b =
      read_vector(require(j, path, "bias"), field(path, "bias"), width, "one per row of weights");
  if (const Json* bn = optional_field(j, "batch_norm")) {
    if (is_output)
      fail(field(path, "batch_norm"), "the output layer cannot have batch normalisation");
    layer.batch_norm = true;
    layer.bn = read_batch_norm(*bn, field(path, "batch_norm"), width);
  }
  return layer;
}

// Reads a network document that was already parsed; `path` prefixes every error (a network inside
// a session lives at "weights").
Network read_network(const Json& doc, const std::string& path) {
  if (!doc.is_object())
    fail(path, std::string(path.empty() ? "expected a JSON object at the top level"
                                        : "expected a network object") +
                   ", got " + describe(doc));
  // check_header reports paths from the document root; re-root them under `path`.
  try {
    check_header(doc, kNetworkFormat, kNetworkFormatVersion);
  } catch (const FieldError& e) {
    fail(e.path.empty() ? path : field(path, e.path), e.reason);
  }
  // "metadata" is free-form and ignored: exporters may record where the network came from.
  check_fields(doc, path, {"format", "version", "input_dim", "layers", "metadata"});
  Network net;
  net.input_dim =
      read_int(require(doc, path, "input_dim"), field(path, "input_dim"), 1, kMaxInputDim);
  const std::string lpath = field(path, "layers");
  const Json& layers = read_array(require(doc, path, "layers"), lpath);
  if (layers.size() < 2)
    fail(lpath, layers.empty()
                    ? "empty (a network needs at least one hidden layer and the output layer)"
                    : "only one layer (a network needs at least one hidden layer before the "
                      "output layer)");
  if (layers.size() > static_cast<std::size_t>(kMaxHiddenLayers) + 1)
    fail(lpath, std::to_string(layers.size()) + " layers, more than the limit of " +
                    std::to_string(kMaxHiddenLayers) + " hidden layers plus the output layer");
  int fan_in = net.input_dim;
  std::string fan_in_why = "the input dimension";
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const bool is_output = l + 1 == layers.size();
    net.layers.push_back(read_layer(layers[l], element(lpath, l), fan_in, fan_in_why, is_output));
    fan_in = net.layers.back().width();
    fan_in_why = "the width of layer " + std::to_string(l);
  }
  return net;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Sessions
// -----------------------------------------------------------------------------------------------

// Seeds are unsigned 64-bit; a decimal string is accepted too because JavaScript numbers lose the
// low bits of seeds above 2^53.
std::uint64_t read_seed(const Json& j, const std::string& path) {
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer() && j.get<long long>() >= 0)
    return static_cast<std::uint64_t>(j.get<long long>());
  if (j.is_number_float()) {
    // 7.0 is 7, as for other integers; beyond 2^53 a double no longer holds every integer.
    const double v = j.get<double>();
    if (v >= 0 && v <= 9007199254740992.0 && v == std::floor(v))
      return static_cast<std::uint64_t>(v);
  }
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    std::uint64_t v = 0;
    bool ok = !s.empty() && s.size() <= 20;
    for (char c : s) {
      if (c < '0' || c > '9') ok = false;
      if (!ok) break;
      const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
      if (v > (UINT64_MAX - digit) / 10) ok = false;
      v = v * 10 + digit;
    }
    if (ok) return v;
  }
  fail(path, "expected an integer between 0 and 18446744073709551615, got " + describe(j));
}

template <class Enum>
Enum read_enum(const Json& j, const std::string& path, bool (*parse)(const std::string&, Enum*),
               const char* what) {
  const std::string name = read_string(j, path);
  Enum e;
  if (!parse(name, &e))
    fail(path, std::string("unknown ") + what + " " + quoted(name) +
                   " (valid: " + join_names(enum_names<Enum>()) + ")");
  return e;
}

// Reads obj[key] with `read` into *out when present; the default stays otherwise.
template <class T, class Read>
void optional_into(const Json& obj, const std::string& path, const char* key, T* out, Read read) {
  if (const Json* j = optional_field(obj, key)) *out = read(*j, field(path, key));
}

int any_int(const Json& j, const std::string& path) {
  // The module's validate() gives the range message; here only the type and int-ness matter.
  return read_int(j, path, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
}

// A session has one seed (SessionConfig::seed); a seed inside a section would be ignored, so it
// is an error that says where the seed goes.
void reject_section_seed(const Json& obj, const std::string& path) {
  if (obj.contains("seed"))
    fail(field(path, "seed"), "a session has one seed, for the data, the initial weights and the "
                              "batch order: write it at the top level as \"seed\"");
}

Json dataset_json(const DatasetSpec& d) {
  Json j;
  j["name"] = d.name;
  j["n"] = d.n;
  j["noise"] = d.noise;
  j["classes"] = d.classes;
  j["train_fraction"] = d.train_fraction;
  return j;
}

void read_dataset_spec(const Json& j, const std::string& path, DatasetSpec* d) {
  expect_object(j, path);
  reject_section_seed(j, path);
  check_fields(j, path, {"name", "n", "noise", "classes", "train_fraction"});
  optional_into(j, path, "name", &d->name, read_string);
  optional_into(j, path, "n", &d->n, any_int);
  optional_into(j, path, "noise", &d->noise, read_number);
  optional_into(j, path, "classes", &d->classes, any_int);
  optional_into(j, path, "train_fraction", &d->train_fraction, read_number);
}

Json network_spec_json(const NetworkSpec& n) {
  Json j;
  j["hidden"] = n.hidden;
  j["activation"] = to_string(n.activation);
  Json acts = Json::array();
  for (Activation a : n.layer_activations) acts.push_back(to_string(a));
  j["layer_activations"] = std::move(acts);
  j["leaky_alpha"] = n.leaky_alpha;
  j["batch_norm"] = n.batch_norm;
  j["init"] = to_string(n.init);
  j["init_scale"] = n.init_scale;
  j["bias_init"] = to_string(n.bias_init);
  j["bias_scale"] = n.bias_scale;
  return j;
}

// An array of at most kMaxHiddenLayers elements (checked before reading them).
const Json& read_short_array(const Json& j, const std::string& path) {
  read_array(j, path);
  if (j.size() > static_cast<std::size_t>(kMaxHiddenLayers))
    fail(path, std::to_string(j.size()) + " entries, more than the limit of " +
                   std::to_string(kMaxHiddenLayers) + " hidden layers");
  return j;
}

// The dataset fixes the input dimension (its points' dimension: 2 in the plane, 1 on the line) and
// the outputs, so these two fields are optional, and when present they must say what the session
// will use anyway.
void check_derived(const Json& j, const std::string& path, const char* key, int expected,
                   const std::string& why) {
  if (const Json* v = optional_field(j, key)) {
    const int got = any_int(*v, field(path, key));
    if (got != expected)
      fail(field(path, key),
           "must be " + std::to_string(expected) + " (" + why + "), got " + std::to_string(got));
  }
}

void read_network_spec(const Json& j, const std::string& path, const DatasetSpec& data,
                       NetworkSpec* n) {
  expect_object(j, path);
  reject_section_seed(j, path);
  check_fields(j, path,
               {"input_dim", "hidden", "outputs", "activation", "layer_activations", "leaky_alpha",
                "batch_norm", "init", "init_scale", "bias_init", "bias_scale"});
  const int dims = find_dataset(data.name)->dims; // the caller validated the data spec
  check_derived(j, path, "input_dim", dims,
                "the dataset " + data.name + (dims == 1 ? " lies on a line" : " lies in the plane"));
  const int classes = resolved_classes(data);
  check_derived(j, path, "outputs", classes > 2 ? classes : 1,
                "the dataset " + data.name + " needs it; it is set from the dataset");
  if (const Json* hidden = optional_field(j, "hidden")) {
    const std::string hpath = field(path, "hidden");
    read_short_array(*hidden, hpath);
    n->hidden.clear();
    for (std::size_t i = 0; i < hidden->size(); ++i)
      n->hidden.push_back(any_int((*hidden)[i], element(hpath, i)));
  }
  auto activation = [](const Json& a, const std::string& p) {
    return read_enum(a, p, parse_activation, "activation");
  };
  optional_into(j, path, "activation", &n->activation, activation);
  if (const Json* acts = optional_field(j, "layer_activations")) {
    const std::string apath = field(path, "layer_activations");
    read_short_array(*acts, apath);
    n->layer_activations.clear();
    for (std::size_t i = 0; i < acts->size(); ++i)
      n->layer_activations.push_back(activation((*acts)[i], element(apath, i)));
  }
  optional_into(j, path, "leaky_alpha", &n->leaky_alpha, read_number);
  optional_into(j, path, "batch_norm", &n->batch_norm, read_bool);
  optional_into(j, path, "init", &n->init, [](const Json& a, const std::string& p) {
    return read_enum(a, p, parse_init, "initialisation");
  });
  optional_into(j, path, "init_scale", &n->init_scale, read_number);
  optional_into(j, path, "bias_init", &n->bias_init, [](const Json& a, const std::string& p) {
    return read_enum(a, p, parse_bias_init, "bias initialisation");
  });
  optional_into(j, path, "bias_scale", &n->bias_scale, read_number);
}

Json train_json(const TrainConfig& t) {
  Json j;
  j["loss"] = to_string(t.loss);
  j["optimizer"] = to_string(t.optimizer);
  j["learning_rate"] = t.learning_rate;
  j["momentum"] = t.momentum;
  j["nesterov"] = t.nesterov;
  j["beta1"] = t.beta1;
  j["beta2"] = t.beta2;
  j["eps"] = t.eps;
  j["weight_decay"] = t.weight_decay;
  j["l1"] = t.l1;
  j["l2"] = t.l2;
  j["batch_size"] = t.batch_size;
  j["schedule"] = to_string(t.schedule);
  j["step_every"] = t.step_every;
  j["step_gamma"] = t.step_gamma;
  j["cosine_steps"] = t.cosine_steps;
  j["cosine_floor"] = t.cosine_floor;
  j["clip_norm"] = t.clip_norm;
  return j;
}

void read_train_config(const Json& j, const std::string& path, TrainConfig* t) {
  expect_object(j, path);
  reject_section_seed(j, path);
  check_fields(j, path,
               {"loss", "optimizer", "learning_rate", "momentum", "nesterov", "beta1", "beta2",
                "eps", "weight_decay", "l1", "l2", "batch_size", "schedule", "step_every",
                "step_gamma", "cosine_steps", "cosine_floor", "clip_norm"});
  optional_into(j, path, "loss", &t->loss, [](const Json& a, const std::string& p) {
    return read_enum(a, p, parse_loss, "loss");
  });
  optional_into(j, path, "optimizer", &t->optimizer, [](const Json& a, const std::string& p) {
    return read_enum(a, p, parse_optimizer, "optimizer");
  });
  optional_into(j, path, "learning_rate", &t->learning_rate, read_number);
  optional_into(j, path, "momentum", &t->momentum, read_number);
  optional_into(j, path, "nesterov", &t->nesterov, read_bool);
  optional_into(j, path, "beta1", &t->beta1, read_number);
  optional_into(j, path, "beta2", &t->beta2, read_number);
  optional_into(j, path, "eps", &t->eps, read_number);
  optional_into(j, path, "weight_decay", &t->weight_decay, read_number);
  optional_into(j, path, "l1", &t->l1, read_number);
  optional_into(j, path, "l2", &t->l2, read_number);
  optional_into(j, path, "batch_size", &t->batch_size, any_int);
  optional_into(j, path, "schedule", &t->schedule, [](const Json& a, const std::string& p) {
    return read_enum(a, p, parse_schedule, "schedule");
  });
  optional_into(j, path, "step_every", &t->step_every, any_int);
  optional_into(j, path, "step_gamma", &t->step_gamma, read_number);
  optional_into(j, path, "cosine_steps", &t->cosine_steps, any_int);
  optional_into(j, path, "cosine_floor", &t->cosine_floor, read_number);
  optional_into(j, path, "clip_norm", &t->clip_norm, read_number);
}

std::string join_ints(const std::vector<int>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s.empty() ? "none" : s;
}

// Whether trained weights have the architecture the spec describes; "" or the difference.
std::string weights_mismatch(const Network& net, const NetworkSpec& spec,
                             const std::string& data_name) {
  const NetworkSpec got = net.spec();
  if (got.input_dim != spec.input_dim)
    return "the network takes " + std::to_string(got.input_dim) +
           (got.input_dim == 1 ? " input" : " inputs") + "; the dataset " + data_name +
           (spec.input_dim == 1 ? " lies on a line (1 input)" : " lies in the plane (2 inputs)");
  if (got.hidden != spec.hidden)
    return "hidden widths " + join_ints(got.hidden) + " do not match network.hidden " +
           join_ints(spec.hidden);
  if (got.outputs != spec.outputs)
    return "the network has " + std::to_string(got.outputs) + " output" +
           (got.outputs == 1 ? "" : "s") + ", the dataset needs " + std::to_string(spec.outputs);
  for (std::size_t l = 0; l < spec.hidden.size(); ++l) {
    const Activation want =
        spec.layer_activations.empty() ? spec.activation : spec.layer_activations[l];
    if (got.layer_activations[l] != want)
      return "layer " + std::to_string(l) + " has activation " +
             to_string(got.layer_activations[l]) + ", the network section says " + to_string(want);
  }
  for (int l = 0; l < net.hidden_layers(); ++l)
    if (net.layers[static_cast<std::size_t>(l)].batch_norm != spec.batch_norm)
      return "layer " + std::to_string(l) + (spec.batch_norm ? " lacks" : " has") +
             " batch normalisation, network.batch_norm is " + (spec.batch_norm ? "true" : "false");
  return "";
}

// One point per class (or one regression point): enough for the training module to tell whether
// a network can learn this dataset with this loss, without generating the data.
Dataset probe_dataset(const DatasetSpec& spec) {
  const int classes = resolved_classes(spec);
  Dataset d;
  d.classes = classes;
  d.X = Eigen::MatrixXd::Zero(find_dataset(spec.name)->dims, std::max(classes, 1)); // (dims, points)
  if (classes == 0) {
    d.targets = Eigen::VectorXd::Zero(1);
  } else {
    d.labels.resize(classes);
    for (int k = 0; k < classes; ++k) d.labels(k) = k;
  }
  return d;
}

SessionDocument read_session(const Json& doc) {
  check_header(doc, kSessionFormat, kSessionFormatVersion);
  check_fields(doc, "",
               {"format", "version", "seed", "dataset", "network", "train", "weights", "metadata"});
  SessionDocument s;
  SessionConfig& c = s.config;
  optional_into(doc, "", "seed", &c.seed, read_seed);

  if (const Json* d = optional_field(doc, "dataset")) read_dataset_spec(*d, "dataset", &c.data);
  c.data.seed = c.seed;
  std::string problem = validate(c.data);
  if (!problem.empty()) fail("dataset", problem);
  const int classes = resolved_classes(c.data);

  if (const Json* w = optional_field(doc, "weights")) s.weights = read_network(*w, "weights");
  if (const Json* n = optional_field(doc, "network")) {
    read_network_spec(*n, "network", c.data, &c.network);
  } else if (s.weights) {
    // No network section: the architecture is the weights'; the initialisation fields keep the
    // session defaults (they matter only when the network is reset).
    const NetworkSpec from_weights = s.weights->spec();
    c.network.hidden = from_weights.hidden;
    c.network.activation = from_weights.activation;
    bool uniform = true;
    for (Activation a : from_weights.layer_activations)
      uniform = uniform && a == from_weights.activation;
    c.network.layer_activations.clear();
    if (!uniform) c.network.layer_activations = from_weights.layer_activations;
    c.network.leaky_alpha = from_weights.leaky_alpha;
    c.network.batch_norm = from_weights.batch_norm;
  }
  c.network.input_dim = find_dataset(c.data.name)->dims;
  c.network.outputs = classes > 2 ? classes : 1;
  problem = validate(c.network);
  if (!problem.empty()) fail("network", problem);
  if (s.weights) {
    problem = weights_mismatch(*s.weights, c.network, c.data.name);
    if (!problem.empty()) fail("weights", problem);
  }

  if (const Json* t = optional_field(doc, "train")) read_train_config(*t, "train", &c.train);
  c.train.seed = c.seed;
  problem = validate(c.train);
  if (!problem.empty()) fail("train", problem);

  const Network probe_net = s.weights ? *s.weights : make_network(c.network, 0);
  problem = validate(c.train, probe_net, probe_dataset(c.data));
  if (!problem.empty()) fail("train", "does not fit the dataset " + c.data.name + ": " + problem);
  // Whatever the module checks beyond the sections (nothing today) still gets a message.
  problem = validate(c);
  if (!problem.empty()) fail("", problem);
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Writing
// -----------------------------------------------------------------------------------------------

std::string dump_scalar(const Json& j) {
  // replace: a non-UTF-8 name (say, from a command line) must not make writing throw.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Two-space indentation, but arrays of scalars (a weight row, a bias) on one line: a 64-wide
// layer stays 64 lines long instead of 4096.
void write_pretty(const Json& j, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  if (j.is_object() && !j.empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& item : j.items()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + dump_scalar(Json(item.key())) + ": ";
      write_pretty(item.value(), indent + 2, out);
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "}";
  } else if (j.is_array() && !j.empty()) {
    bool flat = true;
    for (const Json& e : j) flat = flat && !e.is_structured();
    if (flat) {
      out += "[";
      for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + dump_scalar(j[i]);
      out += "]";
    } else {
      out += "[\n";
      for (std::size_t i = 0; i < j.size(); ++i) {
        if (i) out += ",\n";
        out += pad;
        write_pretty(j[i], indent + 2, out);
      }
      out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]";
    }
  } else {
    out += dump_scalar(j);
  }
}

std::string pretty(const Json& j) {
  std::string out;
  write_pretty(j, 0, out);
  out += "\n";
  return out;
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Public functions
// -----------------------------------------------------------------------------------------------

std::string network_to_json(const Network& net) {
  return pretty(network_json(net));
}

LoadResult<Network> network_from_json(const std::string& text) {
  try {
    const Json doc = parse_document(text);
    LoadResult<Network> r;
    r.value = read_network(doc, "");
    return r;
  } catch (const FieldError& e) {
    return LoadResult<Network>::failure(message(e));
  } catch (const std::exception& e) {
    // Not expected (every access above is checked); a message beats a crash.
    return LoadResult<Network>::failure(std::string("cannot read the network: ") + e.what());
  }
}

std::string session_to_json(const SessionConfig& config, const Network* weights) {
  Json doc;
  doc["format"] = kSessionFormat;
  doc["version"] = kSessionFormatVersion;
  doc["seed"] = config.seed;
  doc["dataset"] = dataset_json(config.data);
  doc["network"] = network_spec_json(config.network);
  doc["train"] = train_json(config.train);
  if (weights) doc["weights"] = network_json(*weights);
  return pretty(doc);
}

LoadResult<SessionDocument> session_from_json(const std::string& text) {
  try {
    const Json doc = parse_document(text);
    LoadResult<SessionDocument> r;
    r.value = read_session(doc);
    return r;
  } catch (const FieldError& e) {
    return LoadResult<SessionDocument>::failure(message(e));
  } catch (const std::exception& e) {
    return LoadResult<SessionDocument>::failure(std::string("cannot read the session: ") +
                                                e.what());
  }
}

std::string document_format(const std::string& text) {
  if (text.size() > kMaxJsonBytes) return "";
  const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return "";
  const auto it = doc.find("format");
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

LoadResult<std::string> read_text_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    return LoadResult<std::string>::failure("cannot open " + path + ": no such file");
  if (fs::is_directory(status))
    return LoadResult<std::string>::failure("cannot read " + path + ": it is a directory");
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxJsonBytes)
      return LoadResult<std::string>::failure("cannot read " + path + ": " + std::to_string(size) +
                                              " bytes, more than the limit of " +
                                              std::to_string(kMaxJsonBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return LoadResult<std::string>::failure("cannot open " + path + ": " + std::strerror(errno));
  // Read in chunks with a cap: pipes and special files have no size to check up front.
  LoadResult<std::string> r;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    r.value.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (r.value.size() > kMaxJsonBytes)
      return LoadResult<std::string>::failure("cannot read " + path + ": more than the limit of " +
                                              std::to_string(kMaxJsonBytes) + " bytes");
  }
  if (in.bad()) return LoadResult<std::string>::failure("cannot read " + path);
  return r;
}

std::string write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot write " + path + ": " + std::strerror(errno);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return "cannot write " + path;
  return "";
}

LoadResult<Network> load_network_file(const std::string& path) {
  const LoadResult<std::string> text = read_text_file(path);
  if (!text.ok()) return LoadResult<Network>::failure(text.error);
  LoadResult<Network> r = network_from_json(text.value);
  if (!r.ok()) r.error = path + ": " + r.error;
  return r;
}

LoadResult<SessionDocument> load_session_file(const std::string& path) {
  const LoadResult<std::string> text = read_text_file(path);
  if (!text.ok()) return LoadResult<SessionDocument>::failure(text.error);
  LoadResult<SessionDocument> r = session_from_json(text.value);
  if (!r.ok()) r.error = path + ": " + r.error;
  return r;
}

} // namespace splinescope
