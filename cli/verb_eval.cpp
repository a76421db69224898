// verb_eval.cpp - `splinescope eval`: the loss and accuracy of a saved network on a dataset.
//
// The dataset is regenerated from its spec, so evaluating with the seed and options used for
// training gives the same train/test split the network was trained on.
#include "verbs.h"

#include <cstdio>
#include <stdexcept>

namespace splinescope::cli {

namespace {

int run_eval(const Args& args) {
  const std::string path = args.positionals().at(0);
  const LoadedModel model = load_model(path);
  // A 784-input network is taken as a Fashion-MNIST network unless a generated dataset is named.
  const bool images = wants_images(args) ||
                      (!args.has("dataset") && !args.has("config") && !model.session &&
                       model.net.input_dim == 28 * 28);
  if (images) {
    refuse_with_images(args, {"config", "n", "noise", "classes", "train-fraction", "seed"});
    Loss loss = Loss::automatic;
    if (args.has("loss") && !parse_loss(args.text("loss", ""), &loss))
      throw UsageError("--loss: unknown value \"" + args.text("loss", "") + "\" (valid: " +
                       names_of<Loss>() + ")");
    const ImageData data = load_image_data(args);
    Metrics train, test;
    try {
      train = evaluate(model.net, data.split.train, loss);
      test = evaluate(model.net, data.split.test, loss);
    } catch (const std::invalid_argument& e) {
      throw RuntimeError(path + " does not fit the dataset " + kImageDataset + ": " + e.what());
    }
    std::printf("%s\n%s\n", metrics_line("train", train).c_str(), metrics_line("test", test).c_str());
    return kExitOk;
  }
  refuse_without_images(args, {"data-dir", "train-images", "test-images"});

  // Dataset and loss: from the model's own session, else --config, else the defaults.
  SessionConfig config;
  if (model.session) config = model.session->config;
  if (args.has("config")) config = load_session(args.text("config", "")).config;
  config.seed = args.seed("seed", config.seed);
  DatasetSpec spec = effective(config).data;
  Loss loss = config.train.loss;
  spec = apply_dataset_options(args, spec);
  if (args.has("loss")) {
    const std::string name = args.text("loss", "");
    if (!parse_loss(name, &loss))
      throw UsageError("--loss: unknown value \"" + name + "\" (valid: " + names_of<Loss>() + ")");
  }

  const Split split = make_split_or_throw(spec);
  Metrics train, test;
  try {
    train = evaluate(model.net, split.train, loss);
    test = evaluate(model.net, split.test, loss);
  } catch (const std::invalid_argument& e) {
    throw RuntimeError(path + " does not fit the dataset " + spec.name + ": " + e.what());
  }
  std::printf("%s\n%s\n", metrics_line("train", train).c_str(), metrics_line("test", test).c_str());
  return kExitOk;
}

Verb make_eval_verb() {
  Verb v;
  v.name = "eval";
  v.summary = "Print the loss and accuracy of a saved network on the train and test sets.";
  v.synopsis = "eval NET.json [options]";
  v.min_positionals = 1;
  v.max_positionals = 1;
  v.options = {{"config", "SESSION.json", "take the dataset and loss from a session file"}};
  for (const Option& o : dataset_options()) v.options.push_back(o);
  v.options.push_back(
      {"seed", "N", "seed of the data [" + std::to_string(SessionConfig{}.seed) + "]"});
  v.options.push_back(
      {"loss", "NAME", names_of<Loss>() + " [" + to_string(TrainConfig{}.loss) + "]"});
  for (const Option& o : image_options()) v.options.push_back(o);
  v.details =
      "NET.json is a network file (`splinescope train --out`) or a session file with weights\n"
      "(`--save-session`), whose dataset and loss are then the defaults. Pass the dataset options\n"
      "and --seed used for training to see the same split. Prints\n"
      "  train loss L accuracy A\n"
      "  test loss L accuracy A\n"
      "(no accuracy for regression; `test empty` when --train-fraction is 1).\n"
      "A network with 784 inputs is evaluated on Fashion-MNIST (--dataset fashion-mnist): the\n"
      "published training and test images, or the first --train-images / --test-images.";
  v.run = run_eval;
  return v;
}

} // namespace

const Verb& eval_verb() {
  static const Verb verb = make_eval_verb();
  return verb;
}

} // namespace splinescope::cli
