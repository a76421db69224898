// common.cpp - option groups, file access and output formatting shared by the CLI verbs.
#include "verbs.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace splinescope::cli {

// -----------------------------------------------------------------------------------------------
// [SECTION] Shared option groups
// -----------------------------------------------------------------------------------------------

std::vector<Option> dataset_options() {
  const DatasetSpec d = SessionConfig::default_data();
  auto fmt = [](double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return std::string(buffer);
  };
  return {
      {"dataset", "NAME",
       dataset_names() + ", or " + kImageDataset + " (images read from files) [" + d.name + "]"},
      {"n", "N", "number of points, train and test together [" + std::to_string(d.n) + "]"},
      {"noise", "X", "noise level in [0, 1], its meaning per dataset [" + fmt(d.noise) + "]"},
      {"classes", "K",
       "classes for blobs and spiral (2.." + std::to_string(kMaxToyClasses) +
           ") and intervals (2..4); 0: the dataset's default [" +
           std::to_string(d.classes) + "]"},
      {"train-fraction", "F",
       "share of the points used for training, in [0.05, 1] [" + fmt(d.train_fraction) + "]"},
  };
}

DatasetSpec apply_dataset_options(const Args& args, DatasetSpec spec) {
  spec.name = args.text("dataset", spec.name);
  if (!find_dataset(spec.name))
    throw UsageError("--dataset: unknown dataset \"" + spec.name + "\" (valid: " + dataset_names() +
                     ", " + kImageDataset + ")");
  spec.n = args.integer("n", spec.n, 4, kMaxDatasetPoints);
  spec.noise = args.number("noise", spec.noise, 0.0, 1.0);
  spec.classes = args.integer("classes", spec.classes, 0, kMaxToyClasses);
  spec.train_fraction = args.number("train-fraction", spec.train_fraction, 0.05, 1.0);
  const std::string problem = validate(spec);
  if (!problem.empty()) throw UsageError("dataset: " + problem);
  return spec;
}

SessionConfig effective(SessionConfig c) {
  c.data.seed = c.seed;
  c.train.seed = c.seed;
  const DatasetInfo* info = find_dataset(c.data.name);
  c.network.input_dim = info ? info->dims : 2; // one input per coordinate of the data
  const int classes = resolved_classes(c.data);
  c.network.outputs = classes > 2 ? classes : 1;
  return c;
}

Split make_split_or_throw(const DatasetSpec& spec) {
  try {
    return make_split(spec);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("dataset: ") + e.what());
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Files
// -----------------------------------------------------------------------------------------------

namespace {
std::string read_or_throw(const std::string& path) {
  LoadResult<std::string> text = read_text_file(path);
  if (!text.ok()) throw RuntimeError(text.error);
  return std::move(text.value);
}
} // namespace

LoadedModel load_model(const std::string& path) {
  const std::string text = read_or_throw(path);
  LoadedModel model;
  if (document_format(text) == kSessionFormat) {
    LoadResult<SessionDocument> s = session_from_json(text);
    if (!s.ok()) throw RuntimeError(path + ": " + s.error);
    if (!s.value.weights)
      throw RuntimeError(path +
                         ": weights: missing (this session has no trained network; run "
                         "`splinescope train --config " +
                         path + " --out NET.json` first)");
    model.net = *s.value.weights;
    model.session = std::move(s.value);
    return model;
  }
  LoadResult<Network> net = network_from_json(text);
  if (!net.ok()) throw RuntimeError(path + ": " + net.error);
  model.net = std::move(net.value);
  return model;
}

SessionDocument load_session(const std::string& path) {
  LoadResult<SessionDocument> s = session_from_json(read_or_throw(path));
  if (!s.ok()) throw RuntimeError(path + ": " + s.error);
  return std::move(s.value);
}

void write_file(const std::string& path, const std::string& text) {
  const std::string problem = write_text_file(path, text);
  if (!problem.empty()) throw RuntimeError(problem);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Output
// -----------------------------------------------------------------------------------------------

std::string metrics_line(const std::string& label, const Metrics& m) {
  if (m.n == 0) return label + " empty";
  char buffer[96];
  if (std::isnan(m.accuracy))
    std::snprintf(buffer, sizeof buffer, " loss %.4g", m.loss);
  else
    std::snprintf(buffer, sizeof buffer, " loss %.4g accuracy %.4f", m.loss, m.accuracy);
  return label + buffer;
}

std::string describe_network(const Network& net) {
  std::string shape = std::to_string(net.input_dim);
  std::vector<std::string> acts;
  for (int l = 0; l <= net.hidden_layers(); ++l) {
    const Layer& layer = net.layers[static_cast<std::size_t>(l)];
    shape += "-" + std::to_string(layer.width());
    if (l < net.hidden_layers()) acts.push_back(to_string(layer.activation));
  }
  bool uniform = true;
  for (const std::string& a : acts) uniform = uniform && a == acts.front();
  return shape + " " + (uniform && !acts.empty() ? acts.front() : join(acts, ","));
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? separator : "") + items[i];
  return s;
}

} // namespace splinescope::cli
