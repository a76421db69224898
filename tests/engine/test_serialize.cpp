// Serialisation: network JSON round trips bit for bit, every malformed document is refused with
// the field path in the message, and sessions round-trip and fill in defaults.
#include "network.h"
#include "random.h"
#include "serialize.h"
#include "session.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace splinescope;

namespace {

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Every field of two networks, compared bit for bit.
bool identical(const Network& a, const Network& b) {
  if (a.input_dim != b.input_dim || a.layers.size() != b.layers.size()) return false;
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const Layer& x = a.layers[l];
    const Layer& y = b.layers[l];
    if (!same_bits(x.W, y.W) || !same_bits(x.b, y.b) || x.activation != y.activation ||
        !same_bits(x.alpha, y.alpha) || x.batch_norm != y.batch_norm)
      return false;
    if (x.batch_norm &&
        (!same_bits(x.bn.gamma, y.bn.gamma) || !same_bits(x.bn.beta, y.bn.beta) ||
         !same_bits(x.bn.running_mean, y.bn.running_mean) ||
         !same_bits(x.bn.running_var, y.bn.running_var) || !same_bits(x.bn.eps, y.bn.eps) ||
         !same_bits(x.bn.momentum, y.bn.momentum)))
      return false;
  }
  return true;
}

// Fills every parameter with values whose decimal forms are awkward: full 53-bit mantissas over
// many magnitudes, negative zero and subnormals.
void scramble(Network& net, std::uint64_t seed) {
  Rng rng(seed);
  auto awkward = [&rng]() {
    const double r = rng.uniform(-1.0, 1.0);
    switch (rng.below(8)) {
    case 0:
      return -0.0;
    case 1:
      return r * 1e-310; // subnormal
    case 2:
      return r * 1e300;
    case 3:
      return r * 1e-30;
    default:
      return r * std::pow(10.0, static_cast<double>(rng.below(9)) - 4.0);
    }
  };
  for (Layer& layer : net.layers) {
    for (Eigen::Index i = 0; i < layer.W.size(); ++i) layer.W.data()[i] = awkward();
    for (Eigen::Index i = 0; i < layer.b.size(); ++i) layer.b(i) = awkward();
    if (layer.batch_norm) {
      for (Eigen::Index i = 0; i < layer.bn.gamma.size(); ++i) {
        layer.bn.gamma(i) = awkward();
        layer.bn.beta(i) = awkward();
        layer.bn.running_mean(i) = awkward();
        layer.bn.running_var(i) = std::abs(awkward());
      }
      layer.bn.eps = 1e-5 * rng.uniform(0.5, 2.0);
      layer.bn.momentum = rng.uniform();
    }
  }
}

// A valid 2 -> 3 -> 1 network document; the malformed cases below are edits of it.
const std::string kBase = R"({
  "format": "splinescope-network", "version": 1, "input_dim": 2,
  "layers": [
    {"activation": "relu", "alpha": 0.01, "weights": [[1, 2], [3, 4], [5, 6]], "bias": [0, 0, 0]},
    {"activation": "linear", "weights": [[1, 1, 1]], "bias": [0]}
  ]
})";

// kBase with one substring replaced; the substring must occur, so a typo here fails loudly.
std::string edit(const std::string& from, const std::string& to) {
  const auto at = kBase.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  std::string s = kBase;
  s.replace(at, from.size(), to);
  return s;
}

// kBase with a batch_norm object (fields given without braces) added to the hidden layer.
std::string with_batch_norm(const std::string& fields) {
  return edit(R"("bias": [0, 0, 0])", R"("bias": [0, 0, 0], "batch_norm": {)" + fields + "}");
}

const std::string kGoodBn = R"("gamma": [1,1,1], "beta": [0,0,0], "running_mean": [0,0,0], )"
                            R"("running_var": [1,1,1])";

std::string hidden_layer_json(int width, int fan_in) {
  std::string row = "[";
  for (int k = 0; k < fan_in; ++k) row += (k ? ",0.5" : "0.5");
  row += "]";
  std::string w = "[", b = "[";
  for (int i = 0; i < width; ++i) {
    w += (i ? "," : "") + row;
    b += (i ? ",0" : "0");
  }
  return R"({"activation": "relu", "weights": )" + w + "], \"bias\": " + b + "]}";
}

std::string output_layer_json(int outputs, int fan_in) {
  std::string s = hidden_layer_json(outputs, fan_in);
  return s.replace(s.find("relu"), 4, "linear");
}

std::string network_doc(const std::vector<std::string>& layers, int input_dim = 2) {
  std::string s = R"({"format": "splinescope-network", "version": 1, "input_dim": )" +
                  std::to_string(input_dim) + R"(, "layers": [)";
  for (std::size_t i = 0; i < layers.size(); ++i) s += (i ? ", " : "") + layers[i];
  return s + "]}";
}

} // namespace

TEST_CASE("the base document of the malformed-input tests is itself valid") {
  const LoadResult<Network> r = network_from_json(kBase);
  REQUIRE_MESSAGE(r.ok(), r.error);
  CHECK(r.value.input_dim == 2);
  CHECK(r.value.hidden_layers() == 1);
  CHECK(r.value.layers[0].W(2, 1) == 6);
  CHECK(r.value.layers[1].activation == Activation::linear);
}

TEST_CASE("random networks of every activation round-trip through JSON bit for bit") {
  const Activation acts[] = {Activation::relu, Activation::leaky_relu, Activation::abs,
                             Activation::linear};
  std::uint64_t seed = 1;
  for (Activation act : acts) {
    for (bool batch_norm : {false, true}) {
      for (int outputs : {1, 3}) {
        NetworkSpec spec;
        spec.hidden = {7, 5, 3};
        spec.activation = act;
        spec.outputs = outputs;
        spec.batch_norm = batch_norm;
        spec.leaky_alpha = 0.2;
        Network net = make_network(spec, ++seed);
        scramble(net, seed);
        const std::string text = network_to_json(net);
        const LoadResult<Network> back = network_from_json(text);
        CAPTURE(to_string(act));
        CAPTURE(batch_norm);
        REQUIRE_MESSAGE(back.ok(), back.error);
        CHECK(identical(net, back.value));
        CHECK(network_to_json(back.value) == text);
      }
    }
  }
}

TEST_CASE("mixed per-layer activations, a linear hidden layer and the widest input (784) round-trip") {
  NetworkSpec spec;
  spec.input_dim = kMaxInputDim;
  spec.hidden = {kMaxWidth, 4, 9};
  spec.layer_activations = {Activation::abs, Activation::linear, Activation::leaky_relu};
  spec.outputs = kMaxOutputs;
  const Network net = make_network(spec, 5);
  const LoadResult<Network> back = network_from_json(network_to_json(net));
  REQUIRE_MESSAGE(back.ok(), back.error);
  CHECK(identical(net, back.value));
  CHECK(back.value.spec().layer_activations == spec.layer_activations);
}

TEST_CASE("the largest network within the engine limits loads and stays well under the text cap") {
  NetworkSpec spec;
  spec.input_dim = kMaxInputDim;
  spec.hidden = std::vector<int>(kMaxHiddenLayers, kMaxWidth);
  spec.outputs = kMaxOutputs;
  spec.batch_norm = true;
  Network net = make_network(spec, 9);
  scramble(net, 9);
  const std::string text = network_to_json(net);
  CHECK(text.size() < kMaxJsonBytes / 2);
  const LoadResult<Network> back = network_from_json(text);
  REQUIRE_MESSAGE(back.ok(), back.error);
  CHECK(identical(net, back.value));
}

TEST_CASE("a written network file loads back, and a missing file is named in the error") {
  NetworkSpec spec;
  spec.hidden = {6, 6};
  const Network net = make_network(spec, 3);
  const std::string path = "test_serialize_network.json";
  REQUIRE(write_text_file(path, network_to_json(net)).empty());
  const LoadResult<Network> back = load_network_file(path);
  REQUIRE_MESSAGE(back.ok(), back.error);
  CHECK(identical(net, back.value));
  std::remove(path.c_str());

  const LoadResult<Network> missing = load_network_file("no/such/net.json");
  CHECK_FALSE(missing.ok());
  CHECK(missing.error.find("no/such/net.json") != std::string::npos);
  CHECK(write_text_file("no/such/dir/net.json", "{}").find("cannot write") != std::string::npos);

  REQUIRE(write_text_file(path, "{\"format\": 3}").empty());
  const LoadResult<Network> bad = load_network_file(path);
  CHECK(bad.error.find(path + ": format: expected a string") == 0);
  std::remove(path.c_str());
}

TEST_CASE("a non-finite weight is written as null and refused on reading") {
  NetworkSpec spec;
  spec.hidden = {2};
  Network net = make_network(spec, 1);
  net.layers[0].W(1, 0) = std::numeric_limits<double>::quiet_NaN();
  const LoadResult<Network> r = network_from_json(network_to_json(net));
  CHECK(r.error == "layers[0].weights[1][0]: expected a number, got null");
}

TEST_CASE("every malformed network document is refused with the field path and the reason") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // Not JSON at all, or not an object.
      {"", "not valid JSON: parse error at line 1, column 1"},
      {"{\"format\": ", "not valid JSON"},
      {"hello", "not valid JSON: parse error at line 1, column 1"},
      {kBase + " x", "not valid JSON: parse error at line 7"},
      {"[1, 2]", "expected a JSON object at the top level, got an array"},
      {"null", "expected a JSON object at the top level, got null"},
      // Header.
      {edit(R"("format": "splinescope-network", )", ""), "format: missing"},
      {edit("splinescope-network", "splinescope-session"),
       R"(format: expected "splinescope-network", got "splinescope-session")"},
      {edit(R"("format": "splinescope-network")", R"("format": 1)"),
       "format: expected a string, got the number 1"},
      {edit(R"("version": 1)", R"("version": 2)"),
       "version: this is version 2 of the splinescope-network format, but this build of "
       "SplineScope reads version 1 only"},
      {edit(R"("version": 1)", R"("version": 0)"), "version: expected 1, got 0"},
      {edit(R"("version": 1)", R"("version": "1")"),
       R"(version: expected an integer between -1000000000 and 1000000000, got a string ("1"))"},
      {edit(R"("version": 1, )", ""), "version: missing"},
      // Top-level fields.
      {edit(R"("input_dim": 2,)", ""), "input_dim: missing"},
      {edit(R"("input_dim": 2)", R"("input_dim": 0)"),
       "input_dim: expected an integer between 1 and 784, got 0"},
      {edit(R"("input_dim": 2)", R"("input_dim": 785)"), "input_dim: expected an integer between 1 and 784, got 785"},
      {edit(R"("input_dim": 2)", R"("input_dim": 2.5)"), "input_dim: expected an integer"},
      {edit(R"("input_dim": 2)", R"("input_dim": 1e300)"), "input_dim: expected an integer"},
      {edit(R"("input_dim": 2)", R"("input_dim": -3)"), "input_dim: expected an integer"},
      {edit(R"("input_dim": 2)", R"("input_dim": 18446744073709551615)"),
       "input_dim: expected an integer"},
      {edit(R"("input_dim": 2)", R"("input_dim": 3)"),
       "layers[0].weights[0]: expected 3 columns (the input dimension), got 2"},
      {edit(R"("input_dim": 2)", R"("input_dim": 2, "inputs": 2)"),
       "inputs: unknown field (known fields: format, version, input_dim, layers, metadata)"},
      {network_doc({}), "layers: empty"},
      {network_doc({output_layer_json(1, 2)}), "layers: only one layer"},
      {R"({"format": "splinescope-network", "version": 1, "input_dim": 2})", "layers: missing"},
      {R"({"format": "splinescope-network", "version": 1, "input_dim": 2, "layers": {}})",
       "layers: expected an array, got an object"},
      // Layers.
      {network_doc({"7", output_layer_json(1, 2)}),
       "layers[0]: expected an object, got the number 7"},
      {edit(R"("activation": "relu", )", ""), "layers[0].activation: missing"},
      {edit(R"("activation": "relu")", R"("activation": "tanh")"),
       R"(layers[0].activation: unknown activation "tanh" (valid: relu, leaky_relu, abs, linear))"},
      {edit(R"("activation": "relu")", R"("activation": null)"),
       "layers[0].activation: expected a string, got null"},
      {edit(R"("activation": "linear")", R"("activation": "relu")"),
       R"(layers[1].activation: the last layer is the output layer and must be "linear", )"
       R"(got "relu")"},
      {edit(R"("alpha": 0.01)", R"("alpha": 1.5)"), "layers[0].alpha: must be in [0, 1), got 1.5"},
      {edit(R"("alpha": 0.01)", R"("alpha": -0.1)"), "layers[0].alpha: must be in [0, 1)"},
      {edit(R"("alpha": 0.01)", R"("alpha": "0.01")"),
       R"(layers[0].alpha: expected a number, got a string ("0.01"))"},
      {edit(R"("bias": [0, 0, 0])", R"("biases": [0, 0, 0])"),
       "layers[0].biases: unknown field (known fields: activation, alpha, weights, bias, "
       "batch_norm)"},
      {edit(R"(, "bias": [0])", ""), "layers[1].bias: missing"},
      {edit(R"("weights": [[1, 2], [3, 4], [5, 6]], )", ""), "layers[0].weights: missing"},
      {edit("[[1, 2], [3, 4], [5, 6]]", "[]"),
       "layers[0].weights: empty (a layer needs at least one neuron"},
      {edit("[[1, 2], [3, 4], [5, 6]]", "[1, 2]"),
       "layers[0].weights[0]: expected an array, got the number 1"},
      {edit("[[1, 2], [3, 4], [5, 6]]", R"("[[1, 2]]")"),
       "layers[0].weights: expected an array, got a string"},
      // Ragged rows, and shapes that disagree between layers.
      {edit("[3, 4]", "[3]"),
       "layers[0].weights[1]: expected 2 columns (the input dimension), got 1"},
      {edit("[5, 6]", "[5, 6, 7]"),
       "layers[0].weights[2]: expected 2 columns (the input dimension), got 3"},
      {edit("[[1, 1, 1]]", "[[1, 1]]"),
       "layers[1].weights[0]: expected 3 columns (the width of layer 0), got 2"},
      {edit("[0, 0, 0]", "[0, 0]"),
       "layers[0].bias: expected 3 numbers (one per row of weights), got 2"},
      {edit("[0, 0, 0]", "0"), "layers[0].bias: expected an array, got the number 0"},
      // Numbers that are not numbers.
      {edit("[1, 2]", R"(["1", 2])"),
       R"(layers[0].weights[0][0]: expected a number, got a string ("1"))"},
      {edit("[3, 4]", "[3, null]"), "layers[0].weights[1][1]: expected a number, got null"},
      {edit("[3, 4]", "[3, true]"), "layers[0].weights[1][1]: expected a number, got true"},
      {edit("[5, 6]", "[5, [6]]"), "layers[0].weights[2][1]: expected a number, got an array"},
      {edit("[0, 0, 0]", "[0, {}, 0]"), "layers[0].bias[1]: expected a number, got an object"},
      {edit("[3, 4]", "[3, NaN]"), "not valid JSON"},
      {edit("[3, 4]", "[3, NaN]"), "NaN and Infinity are not valid in JSON"},
      {edit("[3, 4]", "[3, -Infinity]"), "NaN and Infinity are not valid in JSON"},
      {edit("[3, 4]", "[3, 1e999]"), "not valid JSON: number overflow"},
      // Batch normalisation.
      {edit(R"("bias": [0, 0, 0])", R"("bias": [0, 0, 0], "batch_norm": 5)"),
       "layers[0].batch_norm: expected an object, got the number 5"},
      {with_batch_norm(R"("beta": [0,0,0], "running_mean": [0,0,0], )"
                       R"("running_var": [1,1,1])"),
       "layers[0].batch_norm.gamma: missing"},
      {with_batch_norm(R"("gamma": [1,1], "beta": [0,0,0], "running_mean": [0,0,0], )"
                       R"("running_var": [1,1,1])"),
       "layers[0].batch_norm.gamma: expected 3 numbers (one per neuron of the layer), got 2"},
      {with_batch_norm(R"("gamma": [1,1,1], "beta": [0,0,0], "running_mean": [0,0,0], )"
                       R"("running_var": [1,-1,1])"),
       "layers[0].batch_norm.running_var[1]: a variance cannot be negative"},
      {with_batch_norm(kGoodBn + R"(, "eps": 0)"),
       "layers[0].batch_norm.eps: must be positive, got 0"},
      {with_batch_norm(kGoodBn + R"(, "mean": 0)"), "layers[0].batch_norm.mean: unknown field"},
      {edit(R"("bias": [0])", R"("bias": [0], "batch_norm": {})"),
       "layers[1].batch_norm: the output layer cannot have batch normalisation"},
  };
  for (const auto& c : cases) {
    const LoadResult<Network> r = network_from_json(c.first);
    CAPTURE(c.first);
    CAPTURE(r.error);
    CHECK_FALSE(r.ok());
    CHECK(r.error.find(c.second) != std::string::npos);
  }
}

TEST_CASE("sizes beyond the engine limits are refused before anything large is allocated") {
  // Too wide, too many outputs, too many layers.
  const LoadResult<Network> wide = network_from_json(
      network_doc({hidden_layer_json(kMaxWidth + 1, 2), output_layer_json(1, 65)}));
  CHECK(wide.error == "layers[0].weights: 65 rows, more than the limit of 64 neurons per hidden "
                      "layer");
  const LoadResult<Network> outputs = network_from_json(
      network_doc({hidden_layer_json(4, 2), output_layer_json(kMaxOutputs + 1, 4)}));
  CHECK(outputs.error == "layers[1].weights: 11 rows, more than the limit of 10 outputs");
  std::vector<std::string> deep(kMaxHiddenLayers + 1, hidden_layer_json(2, 2));
  deep.push_back(output_layer_json(1, 2));
  const LoadResult<Network> too_deep = network_from_json(network_doc(deep));
  CHECK(too_deep.error == "layers: 10 layers, more than the limit of 8 hidden layers plus the "
                          "output layer");

  // A row of a million numbers: refused by its length, not copied into a matrix.
  std::string long_row = "[0";
  for (int i = 1; i < 1000000; ++i) long_row += ",0";
  long_row += "]";
  const LoadResult<Network> row = network_from_json(edit("[1, 2]", long_row));
  CHECK(row.error == "layers[0].weights[0]: expected 2 columns (the input dimension), got 1000000");

  // Text beyond the cap is not even parsed.
  const std::string huge(kMaxJsonBytes + 1, ' ');
  CHECK(network_from_json(huge).error.find("more than the limit of") != std::string::npos);

  // Deep nesting neither overflows the stack nor passes.
  const std::string nested = std::string(200000, '[') + std::string(200000, ']');
  CHECK(network_from_json(nested).error.find("expected a JSON object") != std::string::npos);
}

TEST_CASE("optional fields take their defaults and metadata is ignored") {
  const LoadResult<Network> r = network_from_json(
      edit(R"("input_dim": 2,)",
           R"("input_dim": 2, "metadata": {"source": "torch", "epochs": [1, 2]},)"));
  REQUIRE_MESSAGE(r.ok(), r.error);
  CHECK(r.value.layers[1].alpha == 0.01); // absent: the Layer default
  CHECK_FALSE(r.value.layers[0].batch_norm);

  const LoadResult<Network> bn = network_from_json(with_batch_norm(kGoodBn));
  REQUIRE_MESSAGE(bn.ok(), bn.error);
  CHECK(bn.value.layers[0].batch_norm);
  CHECK(bn.value.layers[0].bn.eps == 1e-5);
  CHECK(bn.value.layers[0].bn.momentum == 0.1);

  // Integer-valued floats count as integers; null reads as absent.
  const LoadResult<Network> floats =
      network_from_json(edit(R"("input_dim": 2)", R"("input_dim": 2.0)"));
  CHECK_MESSAGE(floats.ok(), floats.error);
  const LoadResult<Network> null_bn =
      network_from_json(edit(R"("bias": [0])", R"("bias": [0], "batch_norm": null)"));
  CHECK_MESSAGE(null_bn.ok(), null_bn.error);
}

TEST_CASE("a loaded network computes what the original computes") {
  NetworkSpec spec;
  spec.hidden = {9, 9};
  spec.batch_norm = true;
  Network net = make_network(spec, 11);
  scramble(net, 11);
  for (Layer& layer : net.layers) {
    // Tame the scrambled magnitudes so that the outputs are ordinary numbers.
    layer.W = layer.W.unaryExpr([](double w) { return std::tanh(w); });
    layer.b = layer.b.unaryExpr([](double w) { return std::tanh(w); });
  }
  const LoadResult<Network> back = network_from_json(network_to_json(net));
  REQUIRE(back.ok());
  Eigen::MatrixXd X(2, 3); // (2, 3)
  X << 0.5, -1, 2,         //
      1, 0.25, -2;
  CHECK(same_bits(forward(net, X), forward(back.value, X)));
}

// -----------------------------------------------------------------------------------------------
// Sessions
// -----------------------------------------------------------------------------------------------

TEST_CASE("a session with every field changed round-trips, weights included") {
  SessionConfig c;
  c.seed = 18446744073709551615ULL; // the largest seed must survive
  c.data.name = "spiral";
  c.data.n = 321;
  c.data.noise = 0.3;
  c.data.classes = 4;
  c.data.train_fraction = 0.7;
  c.network.hidden = {12, 7};
  c.network.activation = Activation::leaky_relu;
  c.network.layer_activations = {Activation::leaky_relu, Activation::abs};
  c.network.leaky_alpha = 0.05;
  c.network.batch_norm = true;
  c.network.init = Init::glorot_uniform;
  c.network.init_scale = 0.25;
  c.network.bias_init = BiasInit::zero;
  c.network.bias_scale = 0.3;
  c.train.loss = Loss::softmax;
  c.train.optimizer = Optimizer::adamw;
  c.train.learning_rate = 0.003;
  c.train.momentum = 0.8;
  c.train.nesterov = true;
  c.train.beta1 = 0.85;
  c.train.beta2 = 0.99;
  c.train.eps = 1e-7;
  c.train.weight_decay = 0.01;
  c.train.l1 = 1e-4;
  c.train.l2 = 1e-3;
  c.train.batch_size = 64;
  c.train.schedule = Schedule::cosine;
  c.train.step_every = 500;
  c.train.step_gamma = 0.3;
  c.train.cosine_steps = 4000;
  c.train.cosine_floor = 0.1;
  c.train.clip_norm = 5.0;
  NetworkSpec arch = c.network;
  arch.outputs = 4;
  Network weights = make_network(arch, 4);
  scramble(weights, 4);

  const std::string text = session_to_json(c, &weights);
  const LoadResult<SessionDocument> r = session_from_json(text);
  REQUIRE_MESSAGE(r.ok(), r.error);
  const SessionConfig& b = r.value.config;
  CHECK(b.seed == c.seed);
  CHECK(b.data.seed == c.seed); // the one session seed reaches the sections
  CHECK(b.train.seed == c.seed);
  CHECK(b.data.name == "spiral");
  CHECK(b.data.n == 321);
  CHECK(b.data.noise == 0.3);
  CHECK(b.data.classes == 4);
  CHECK(b.data.train_fraction == 0.7);
  CHECK(b.network.hidden == c.network.hidden);
  CHECK(b.network.outputs == 4); // from the dataset
  CHECK(b.network.activation == Activation::leaky_relu);
  CHECK(b.network.layer_activations == c.network.layer_activations);
  CHECK(b.network.leaky_alpha == 0.05);
  CHECK(b.network.batch_norm);
  CHECK(b.network.init == Init::glorot_uniform);
  CHECK(b.network.init_scale == 0.25);
  CHECK(b.network.bias_init == BiasInit::zero);
  CHECK(b.network.bias_scale == 0.3);
  CHECK(b.train.loss == Loss::softmax);
  CHECK(b.train.optimizer == Optimizer::adamw);
  CHECK(b.train.learning_rate == 0.003);
  CHECK(b.train.momentum == 0.8);
  CHECK(b.train.nesterov);
  CHECK(b.train.beta1 == 0.85);
  CHECK(b.train.beta2 == 0.99);
  CHECK(b.train.eps == 1e-7);
  CHECK(b.train.weight_decay == 0.01);
  CHECK(b.train.l1 == 1e-4);
  CHECK(b.train.l2 == 1e-3);
  CHECK(b.train.batch_size == 64);
  CHECK(b.train.schedule == Schedule::cosine);
  CHECK(b.train.step_every == 500);
  CHECK(b.train.step_gamma == 0.3);
  CHECK(b.train.cosine_steps == 4000);
  CHECK(b.train.cosine_floor == 0.1);
  CHECK(b.train.clip_norm == 5.0);
  REQUIRE(r.value.weights.has_value());
  CHECK(identical(weights, *r.value.weights));
  CHECK(session_to_json(b, &*r.value.weights) == text);
  CHECK(classify_change(c, b) == ChangeKind::none);
}

TEST_CASE("a hand-written session with one field takes the app's defaults for the rest") {
  const LoadResult<SessionDocument> r = session_from_json(
      R"({"format":"splinescope-session","version":1,"network":{"hidden":[8,8]}})");
  REQUIRE_MESSAGE(r.ok(), r.error);
  const SessionConfig defaults;
  const SessionConfig& c = r.value.config;
  CHECK(c.seed == defaults.seed);
  CHECK(c.data.name == defaults.data.name);
  CHECK(c.data.n == defaults.data.n);
  CHECK(c.network.hidden == std::vector<int>{8, 8});
  CHECK(c.network.activation == defaults.network.activation);
  CHECK(c.network.bias_init == defaults.network.bias_init);
  CHECK(c.network.bias_scale == defaults.network.bias_scale);
  CHECK(c.train.optimizer == defaults.train.optimizer);
  CHECK(c.train.learning_rate == defaults.train.learning_rate);
  CHECK(c.train.batch_size == defaults.train.batch_size);
  CHECK_FALSE(r.value.weights.has_value());
  // The app can run what was read.
  CHECK(validate(c).empty());

  const LoadResult<SessionDocument> bare =
      session_from_json(R"({"format":"splinescope-session","version":1})");
  REQUIRE_MESSAGE(bare.ok(), bare.error);
  CHECK(classify_change(defaults, bare.value.config) == ChangeKind::none);
}

TEST_CASE("a session's network outputs follow the dataset's classes") {
  const LoadResult<SessionDocument> blobs = session_from_json(
      R"({"format":"splinescope-session","version":1,"dataset":{"name":"blobs","classes":5},
          "network":{"outputs":5}})");
  REQUIRE_MESSAGE(blobs.ok(), blobs.error);
  CHECK(blobs.value.config.network.outputs == 5);
  const LoadResult<SessionDocument> plane = session_from_json(
      R"({"format":"splinescope-session","version":1,"dataset":{"name":"plane"}})");
  REQUIRE_MESSAGE(plane.ok(), plane.error);
  CHECK(plane.value.config.network.outputs == 1);
}

TEST_CASE("a session without a network section takes the architecture from its weights") {
  NetworkSpec spec;
  spec.hidden = {5, 4};
  spec.activation = Activation::abs;
  const Network net = make_network(spec, 2);
  const std::string text =
      R"({"format":"splinescope-session","version":1,"weights":)" + network_to_json(net) + "}";
  const LoadResult<SessionDocument> r = session_from_json(text);
  REQUIRE_MESSAGE(r.ok(), r.error);
  CHECK(r.value.config.network.hidden == spec.hidden);
  CHECK(r.value.config.network.activation == Activation::abs);
  REQUIRE(r.value.weights.has_value());
  CHECK(identical(net, *r.value.weights));
}

TEST_CASE("every malformed session is refused with the field path and the reason") {
  NetworkSpec spec;
  spec.hidden = {5, 4};
  const std::string weights = network_to_json(make_network(spec, 2));
  const std::string head = R"({"format":"splinescope-session","version":1,)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "not valid JSON"},
      {kBase, R"(format: expected "splinescope-session", got "splinescope-network")"},
      {R"({"format":"splinescope-session","version":7})",
       "version: this is version 7 of the splinescope-session format"},
      {head + R"("netwrok":{}})", "netwrok: unknown field (known fields: format, version, seed, "
                                  "dataset, network, train, weights, metadata)"},
      {head + R"("seed":-1})",
       "seed: expected an integer between 0 and 18446744073709551615, got the number -1"},
      {head + R"("seed":"12x"})", "seed: expected an integer"},
      {head + R"("seed":1.5})", "seed: expected an integer"},
      {head + R"("network":{"hiden":[8]}})", "network.hiden: unknown field"},
      {head + R"("network":{"hidden":8}})", "network.hidden: expected an array, got the number 8"},
      {head + R"("network":{"hidden":[8,"8"]}})",
       R"(network.hidden[1]: expected an integer between -2147483648 and 2147483647, )"
       R"(got a string ("8"))"},
      {head + R"("network":{"hidden":[8,0]}})",
       "network: width of hidden layer 2 must be between 1 and 64 (got 0)"},
      {head + R"("network":{"hidden":[1,1,1,1,1,1,1,1,1]}})",
       "network.hidden: 9 entries, more than the limit of 8 hidden layers"},
      {head + R"("network":{"activation":"gelu"}})",
       R"(network.activation: unknown activation "gelu" (valid: relu, leaky_relu, abs, linear))"},
      {head + R"("network":{"layer_activations":["relu", 3]}})",
       "network.layer_activations[1]: expected a string, got the number 3"},
      {head + R"("network":{"init":"xavier"}})",
       R"(network.init: unknown initialisation "xavier" (valid: he_normal, he_uniform, )"
       R"(glorot_normal, glorot_uniform, uniform))"},
      {head + R"("network":{"bias_init":"ones"}})",
       R"(network.bias_init: unknown bias initialisation "ones" (valid: zero, small, normal))"},
      {head + R"("network":{"batch_norm":"yes"}})",
       R"(network.batch_norm: expected true or false, got a string ("yes"))"},
      {head + R"("network":{"input_dim":3}})",
       "network.input_dim: must be 2 (the dataset spiral lies in the plane), got 3"},
      {head + R"("dataset":{"name":"circles"},"network":{"outputs":3}})",
       "network.outputs: must be 1 (the dataset circles needs it; it is set from the dataset), got "
       "3"},
      {head + R"("network":{"seed":3}})",
       "network.seed: a session has one seed, for the data, the initial weights and the batch "
       "order: write it at the top level as \"seed\""},
      {head + R"("dataset":{"name":"nope"}})",
       "dataset: dataset name 'nope' is unknown; valid names are moons, circles"},
      {head + R"("dataset":{"n":"200"}})", "dataset.n: expected an integer"},
      {head + R"("dataset":{"n":2}})", "dataset: n (number of points) must be between 4 and"},
      {head + R"("dataset":{"seed":2}})", "dataset.seed: a session has one seed"},
      {head + R"("dataset":[]})", "dataset: expected an object, got an array"},
      {head + R"("train":{"optimizer":"rmsprop"}})",
       R"(train.optimizer: unknown optimizer "rmsprop" (valid: sgd, momentum, adam, adamw))"},
      {head + R"("train":{"schedule":"linear"}})",
       R"(train.schedule: unknown schedule "linear" (valid: constant, step, cosine))"},
      {head + R"("train":{"loss":"hinge"}})",
       R"(train.loss: unknown loss "hinge" (valid: auto, logistic, softmax, mse))"},
      {head + R"("train":{"learning_rate":"fast"}})",
       R"(train.learning_rate: expected a number, got a string ("fast"))"},
      {head + R"("train":{"learning_rate":-1}})",
       "train: learning rate must be finite and in (0, 10]"},
      {head + R"("train":{"batch_size":1.5}})", "train.batch_size: expected an integer"},
      {head + R"("train":{"lr":0.1}})", "train.lr: unknown field"},
      {head + R"("train":{"seed":1}})", "train.seed: a session has one seed"},
      {head + R"("dataset":{"name":"blobs","classes":4},"train":{"loss":"logistic"}})",
       "train: does not fit the dataset blobs: the logistic loss needs a network with 1 output "
       "(it has 4)"},
      {head + R"("dataset":{"name":"circles"},"train":{"loss":"mse"}})",
       "train: does not fit the dataset circles: the mse loss needs one regression target per "
       "point"},
      {head +
           R"("weights":{"format":"splinescope-network","version":1,"input_dim":2,"layers":[]}})",
       "weights.layers: empty"},
      {head + R"("weights":{"version":1}})", "weights.format: missing"},
      {head + R"("weights":[1]})", "weights: expected a network object, got an array"},
      {head + R"("dataset":{"name":"circles"},"network":{"hidden":[5,5]},"weights":)" + weights +
           "}",
       "weights: hidden widths 5, 4 do not match network.hidden 5, 5"},
      {head + R"("dataset":{"name":"circles"},"network":{"hidden":[5,4],"activation":"abs"},)" +
           R"("weights":)" + weights + "}",
       "weights: layer 0 has activation relu, the network section says abs"},
      {head + R"("dataset":{"name":"circles"},"network":{"hidden":[5,4],"batch_norm":true},)" +
           R"("weights":)" + weights + "}",
       "weights: layer 0 lacks batch normalisation, network.batch_norm is true"},
      {head + R"("dataset":{"name":"blobs","classes":3},"weights":)" + weights + "}",
       "weights: the network has 1 output, the dataset needs 3"},
  };
  for (const auto& c : cases) {
    const LoadResult<SessionDocument> r = session_from_json(c.first);
    CAPTURE(c.first);
    CAPTURE(r.error);
    CHECK_FALSE(r.ok());
    CHECK(r.error.find(c.second) != std::string::npos);
  }
}

TEST_CASE("a session seed may be written as a decimal string for JavaScript's sake") {
  const LoadResult<SessionDocument> r = session_from_json(
      R"({"format":"splinescope-session","version":1,"seed":"18446744073709551615"})");
  REQUIRE_MESSAGE(r.ok(), r.error);
  CHECK(r.value.config.seed == 18446744073709551615ULL);
  const LoadResult<SessionDocument> over = session_from_json(
      R"({"format":"splinescope-session","version":1,"seed":"18446744073709551616"})");
  CHECK(over.error.find("seed: expected an integer") == 0);
  const LoadResult<SessionDocument> float_seed =
      session_from_json(R"({"format":"splinescope-session","version":1,"seed":7.0})");
  REQUIRE_MESSAGE(float_seed.ok(), float_seed.error);
  CHECK(float_seed.value.config.seed == 7);
}

TEST_CASE("enum name lists cover every value and parse back") {
  CHECK(enum_names<Activation>() ==
        std::vector<std::string>{"relu", "leaky_relu", "abs", "linear"});
  for (const std::string& name : enum_names<BiasInit>()) {
    BiasInit b;
    CHECK(parse_bias_init(name, &b));
  }
  for (const std::string& name : enum_names<Optimizer>()) {
    Optimizer o;
    CHECK(parse_optimizer(name, &o));
  }
  CHECK(enum_names<Loss>().size() == 4);
}

TEST_CASE("the format of a document is read without checking the rest") {
  CHECK(document_format(kBase) == kNetworkFormat);
  CHECK(document_format(R"({"format": "splinescope-session", "junk": [})") == "");
  CHECK(document_format(R"({"format": "splinescope-session", "junk": []})") == kSessionFormat);
  CHECK(document_format("[1]") == "");
  CHECK(document_format(R"({"format": "x", "n": 1e999})") == "");
  CHECK(document_format(R"({"format": 1})") == "");
}
