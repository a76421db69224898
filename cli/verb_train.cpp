// verb_train.cpp - `splinescope train`: generate a dataset, train a network on it, write the JSON.
//
// Every setting starts from its default (or from --config SESSION) and the options given override
// it. --seed fixes the data, the initialisation and the mini-batch order at once, so the same
// command line always trains the same network on one platform.
#include "verbs.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace splinescope::cli {

namespace {

std::string fmt(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

template <class Enum>
Enum parse_enum_option(const Args& args, const std::string& option, Enum fallback,
                       bool (*parse)(const std::string&, Enum*)) {
  if (!args.has(option)) return fallback;
  const std::string name = args.text(option, "");
  Enum e;
  if (!parse(name, &e))
    throw UsageError("--" + option + ": unknown value \"" + name +
                     "\" (valid: " + names_of<Enum>() + ")");
  return e;
}

// Architecture options: these cannot be combined with the weights of a --config session.
const char* const kArchitectureOptions[] = {"layers", "act", "alpha", "batch-norm"};

void apply_network_options(const Args& args, NetworkSpec* spec) {
  const std::size_t depth_before = spec->hidden.size();
  spec->hidden = args.integers("layers", spec->hidden, 1, kMaxWidth, kMaxHiddenLayers);
  if (args.has("act")) {
    const std::vector<std::string> names = args.words("act", {}, kMaxHiddenLayers);
    std::vector<Activation> acts;
    for (const std::string& name : names) {
      Activation a;
      if (!parse_activation(name, &a))
        throw UsageError("--act: unknown activation \"" + name +
                         "\" (valid: " + names_of<Activation>() + ")");
      acts.push_back(a);
    }
    spec->activation = acts.front();
    spec->layer_activations.clear();
    if (acts.size() > 1) {
      if (acts.size() != spec->hidden.size())
        throw UsageError("--act: give one activation, or one per hidden layer (" +
                         std::to_string(spec->hidden.size()) + "), not " +
                         std::to_string(acts.size()));
      spec->layer_activations = acts;
    }
  } else if (spec->hidden.size() != depth_before) {
    // --layers changed the depth of a --config network: its per-layer list no longer applies.
    spec->layer_activations.clear();
  }
  spec->leaky_alpha = args.number("alpha", spec->leaky_alpha, 0.0, 1.0);
  if (args.flag("batch-norm")) spec->batch_norm = true;
  spec->init = parse_enum_option(args, "init", spec->init, parse_init);
  spec->init_scale = args.number("init-scale", spec->init_scale, 0.0, 100.0);
  spec->bias_init = parse_enum_option(args, "bias-init", spec->bias_init, parse_bias_init);
  spec->bias_scale = args.number("bias-scale", spec->bias_scale, 0.0, 100.0);
}

void apply_train_options(const Args& args, int steps, bool from_config, TrainConfig* t) {
  t->loss = parse_enum_option(args, "loss", t->loss, parse_loss);
  t->optimizer = parse_enum_option(args, "optimizer", t->optimizer, parse_optimizer);
  t->learning_rate = args.number("lr", t->learning_rate, 0.0, 10.0);
  t->momentum = args.number("momentum", t->momentum, 0.0, 1.0);
  if (args.flag("nesterov")) t->nesterov = true;
  t->beta1 = args.number("beta1", t->beta1, 0.0, 1.0);
  t->beta2 = args.number("beta2", t->beta2, 0.0, 1.0);
  t->eps = args.number("adam-eps", t->eps, 0.0, 1.0);
  t->weight_decay = args.number("weight-decay", t->weight_decay, 0.0, 1.0);
  t->l1 = args.number("l1", t->l1, 0.0, 10.0);
  t->l2 = args.number("l2", t->l2, 0.0, 10.0);
  t->batch_size = args.integer("batch", t->batch_size, 1, 4096);
  t->schedule = parse_enum_option(args, "schedule", t->schedule, parse_schedule);
  t->step_every = args.integer("step-every", t->step_every, 1, 1 << 30);
  t->step_gamma = args.number("step-gamma", t->step_gamma, 0.0, 1.0);
  // The cosine schedule reaches its floor at the last step unless told otherwise.
  if (!from_config && !args.has("cosine-steps")) t->cosine_steps = steps;
  t->cosine_steps = args.integer("cosine-steps", t->cosine_steps, 1, 1 << 30);
  t->cosine_floor = args.number("cosine-floor", t->cosine_floor, 0.0, 1.0);
  t->clip_norm = args.number("clip", t->clip_norm, 0.0, 1e300);
}

// Takes the steps, printing the mean batch loss every log_every steps; RuntimeError on divergence.
void run_steps(Trainer& trainer, int steps, int log_every, bool quiet) {
  double loss_sum = 0.0;
  int loss_count = 0;
  for (int i = 1; i <= steps; ++i) {
    const StepResult r = trainer.step();
    if (!r.ok) {
      // The trainer's advice after "; " is about the app's restore button; the CLI has its own.
      std::string why = r.message.substr(0, r.message.find("; "));
      if (why.empty()) why = "training diverged at step " + std::to_string(r.step);
      throw RuntimeError(why + "; try a lower --lr, --clip or another --optimizer");
    }
    loss_sum += r.loss;
    ++loss_count;
    if (!quiet && log_every > 0 && (i % log_every == 0 || i == steps)) {
      // The mean batch loss since the last line: single batches are too noisy to read.
      std::printf("step %d loss %.4g lr %.3g\n", i, loss_sum / loss_count,
                  trainer.learning_rate());
      std::fflush(stdout);
      loss_sum = 0.0;
      loss_count = 0;
    }
  }
}

// Defaults for images, where the app's 2-D opening setup does not fit: 64-64 ReLU, Adam at 0.001
// on batches of 64 (the usual MLP setting for Fashion-MNIST), one epoch.
constexpr int kImageWidth = 64;
constexpr double kImageLearningRate = 0.001;
constexpr int kImageBatch = 64;

// `train --dataset fashion-mnist`: the published split from the IDX files (or its first images).
int run_train_images(const Args& args) {
  refuse_with_images(args, {"config", "save-session", "n", "noise", "classes", "train-fraction"});
  const SessionConfig defaults;
  const std::uint64_t seed = args.seed("seed", defaults.seed);
  NetworkSpec spec = defaults.network;
  spec.hidden = {kImageWidth, kImageWidth};
  apply_network_options(args, &spec);
  TrainConfig train = defaults.train;
  train.learning_rate = kImageLearningRate;
  train.batch_size = kImageBatch;
  train.seed = seed;
  apply_train_options(args, 1, true, &train); // cosine steps set below, once steps are known
  const int log_every_option = args.has("log-every") ? args.integer("log-every", 0, 0, 100000000) : -1;
  const bool quiet = args.flag("quiet");
  const std::string out = args.text("out", "");
  const double epochs = args.number("epochs", 1.0, 1e-6, 1000.0);

  ImageData data = load_image_data(args);
  spec.input_dim = data.rows * data.cols;
  spec.outputs = data.split.train.classes;
  const std::string net_problem = validate(spec);
  if (!net_problem.empty()) throw UsageError(net_problem);
  const Eigen::Index n_train = data.split.train.size(), n_test = data.split.test.size();
  const int batch = static_cast<int>(std::min<Eigen::Index>(train.batch_size, n_train));
  // --steps wins; otherwise --epochs passes over the training images, rounded up to whole steps.
  const double wanted = std::ceil(epochs * static_cast<double>(n_train) / batch);
  const int steps = args.has("steps") ? args.integer("steps", 1, 1, 100000000)
                                      : static_cast<int>(std::min(wanted, 1e8));
  if (!args.has("cosine-steps")) train.cosine_steps = steps;
  const std::string train_problem = validate(train);
  if (!train_problem.empty()) throw UsageError(train_problem);
  const int log_every = log_every_option >= 0 ? log_every_option : std::max(1, steps / 10);

  std::optional<Trainer> trainer;
  try {
    // The training images move into the trainer: at 60,000 images they are 376 MB as doubles.
    trainer.emplace(make_network(spec, seed), std::move(data.split.train), train);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("the network cannot train on these images: ") + e.what());
  }
  if (!quiet)
    std::printf("training %s on %s (%td train, %td test images), %s lr %g, batch %d, %d steps "
                "(%.3g epochs)\n",
                describe_network(trainer->network()).c_str(), kImageDataset,
                static_cast<std::ptrdiff_t>(n_train), static_cast<std::ptrdiff_t>(n_test),
                to_string(train.optimizer), train.learning_rate, batch, steps,
                static_cast<double>(steps) * batch / static_cast<double>(n_train));
  run_steps(*trainer, steps, log_every, quiet);

  const Network& trained = trainer->network();
  std::printf("%s\n", metrics_line("train", evaluate(trained, trainer->train_set(), train.loss)).c_str());
  std::printf("%s\n", metrics_line("test", evaluate(trained, data.split.test, train.loss)).c_str());
  if (!out.empty()) {
    write_file(out, network_to_json(trained));
    if (!quiet) std::printf("wrote %s\n", out.c_str());
  }
  return kExitOk;
}

int run_train(const Args& args) {
  if (wants_images(args)) return run_train_images(args);
  refuse_without_images(args, {"epochs", "data-dir", "train-images", "test-images"});
  const bool from_config = args.has("config");
  SessionConfig config;
  std::optional<Network> weights;
  if (from_config) {
    SessionDocument doc = load_session(args.text("config", ""));
    config = doc.config;
    weights = std::move(doc.weights);
  }
  config.seed = args.seed("seed", config.seed);
  config.data = apply_dataset_options(args, config.data);
  if (weights) {
    for (const char* option : kArchitectureOptions)
      if (args.has(option))
        throw UsageError(std::string("--") + option +
                         ": the --config session holds trained weights, whose architecture "
                         "cannot change");
  }
  apply_network_options(args, &config.network);
  const int steps = args.integer("steps", 3000, 1, 100000000);
  apply_train_options(args, steps, from_config, &config.train);
  config = effective(config);
  const std::string problem = validate(config);
  if (!problem.empty()) throw UsageError(problem);
  // The session's own dataset fits its weights; --dataset may have moved to the other dimension.
  if (weights && weights->input_dim != config.network.input_dim) {
    const int dims = config.network.input_dim;
    throw UsageError("--dataset: the --config session's trained network takes " +
                     std::to_string(weights->input_dim) +
                     (weights->input_dim == 1 ? " input" : " inputs") + "; the dataset " +
                     config.data.name +
                     (dims == 1 ? " lies on a line (1 input)" : " lies in the plane (2 inputs)"));
  }

  const int log_every = args.integer("log-every", std::max(1, steps / 10), 0, 100000000);
  const bool quiet = args.flag("quiet");
  const std::string out = args.text("out", "");
  const std::string session_out = args.text("save-session", "");

  // The same construction as the app's Session: data from the config, initial weights from the
  // session seed, so a session file trains the same network here and there.
  const Split split = make_split_or_throw(config.data);
  Network net = weights ? *weights : make_network(config.network, config.seed);
  std::optional<Trainer> trainer;
  try {
    trainer.emplace(std::move(net), split, config.train);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("the network cannot train on this dataset: ") + e.what());
  }

  if (!quiet)
    std::printf("training %s on %s (%td train, %td test points), %s lr %g, %d steps\n",
                describe_network(trainer->network()).c_str(), config.data.name.c_str(),
                static_cast<std::ptrdiff_t>(split.train.size()),
                static_cast<std::ptrdiff_t>(split.test.size()), to_string(config.train.optimizer),
                config.train.learning_rate, steps);
  run_steps(*trainer, steps, log_every, quiet);

  const Network& trained = trainer->network();
  const Loss loss = config.train.loss;
  std::printf("%s\n", metrics_line("train", evaluate(trained, split.train, loss)).c_str());
  std::printf("%s\n", metrics_line("test", evaluate(trained, split.test, loss)).c_str());
  if (!out.empty()) {
    write_file(out, network_to_json(trained));
    if (!quiet) std::printf("wrote %s\n", out.c_str());
  }
  if (!session_out.empty()) {
    write_file(session_out, session_to_json(config, &trained));
    if (!quiet) std::printf("wrote %s\n", session_out.c_str());
  }
  return kExitOk;
}

// "intervals, sine, ...": the datasets on a line, for the help text.
std::string line_datasets() {
  std::vector<std::string> names;
  for (const DatasetInfo& info : dataset_registry())
    if (info.dims == 1) names.push_back(info.name);
  return join(names);
}

Verb make_train_verb() {
  Verb v;
  v.name = "train";
  v.summary = "Train a network on a generated dataset or on Fashion-MNIST; write it as JSON.";
  v.synopsis = "train [options]";
  v.min_positionals = 0;
  v.max_positionals = 0;
  v.options = {
      {"config", "SESSION.json",
       "start from a session file: its settings are the defaults of the options below, and its "
       "weights, if any, are trained further"},
  };
  for (const Option& o : dataset_options()) v.options.push_back(o);
  const SessionConfig d;
  const NetworkSpec& n = d.network;
  const TrainConfig& t = d.train;
  std::string layers;
  for (int w : n.hidden) layers += (layers.empty() ? "" : ",") + std::to_string(w);
  const std::vector<Option> rest = {
      {"seed", "N",
       "one seed for the data, the initial weights and the batch order [" + std::to_string(d.seed) +
           "]"},
      {"layers", "W1,W2,...", "hidden layer widths, 1..64 each, up to 8 layers [" + layers + "]"},
      {"act", "NAME[,NAME...]",
       "activation, or one per hidden layer: " + names_of<Activation>() + " [" +
           to_string(n.activation) + "]"},
      {"alpha", "A",
       "leaky ReLU slope for negative inputs, in [0, 1) [" + fmt(n.leaky_alpha) + "]"},
      {"batch-norm", "", "batch normalisation after every hidden layer"},
      {"init", "NAME", names_of<Init>() + " [" + to_string(n.init) + "]"},
      {"init-scale", "A",
       "weights uniform in [-A, A] with --init uniform [" + fmt(n.init_scale) + "]"},
      {"bias-init", "NAME", names_of<BiasInit>() + " [" + to_string(n.bias_init) + "]"},
      {"bias-scale", "S", "standard deviation of --bias-init normal [" + fmt(n.bias_scale) + "]"},
      {"loss", "NAME",
       names_of<Loss>() + " [" + to_string(t.loss) + ": from the outputs and the dataset]"},
      {"optimizer", "NAME", names_of<Optimizer>() + " [" + to_string(t.optimizer) + "]"},
      {"lr", "X", "learning rate, in (0, 10] [" + fmt(t.learning_rate) + "]"},
      {"momentum", "X", "momentum of --optimizer momentum [" + fmt(t.momentum) + "]"},
      {"nesterov", "", "Nesterov momentum"},
      {"beta1", "X", "Adam's first-moment decay [" + fmt(t.beta1) + "]"},
      {"beta2", "X", "Adam's second-moment decay [" + fmt(t.beta2) + "]"},
      {"adam-eps", "X", "Adam's epsilon [" + fmt(t.eps) + "]"},
      {"weight-decay", "X", "decoupled weight decay of adamw [" + fmt(t.weight_decay) + "]"},
      {"l1", "X", "L1 penalty on weights [" + fmt(t.l1) + "]"},
      {"l2", "X", "L2 penalty on weights [" + fmt(t.l2) + "]"},
      {"batch", "N", "mini-batch size, 1..4096 [" + std::to_string(t.batch_size) + "]"},
      {"schedule", "NAME", names_of<Schedule>() + " [" + to_string(t.schedule) + "]"},
      {"step-every", "N",
       "step schedule: steps between rate cuts [" + std::to_string(t.step_every) + "]"},
      {"step-gamma", "X", "step schedule: factor of each cut [" + fmt(t.step_gamma) + "]"},
      {"cosine-steps", "N", "cosine schedule: steps to the floor [--steps]"},
      {"cosine-floor", "X",
       "cosine schedule: final rate as a fraction of --lr [" + fmt(t.cosine_floor) + "]"},
      {"clip", "X", "clip the gradient norm to X; 0: off [" + fmt(t.clip_norm) + "]"},
      {"steps", "N", "optimiser steps [3000; images: --epochs]"},
      {"epochs", "E",
       "--dataset fashion-mnist without --steps: passes over the training images [1]"},
      {"log-every", "N", "print the mean loss every N steps; 0: never [steps/10]"},
      {"quiet", "", "print only the final train and test lines"},
      {"out", "NET.json", "write the trained network here"},
      {"save-session", "SESSION.json", "write the settings and the trained weights here"},
  };
  v.options.insert(v.options.end(), rest.begin(), rest.end());
  for (const Option& o : image_options()) v.options.push_back(o);
  v.details =
      "Prints `step N loss L lr R` lines while training, then\n"
      "  train loss L accuracy A\n"
      "  test loss L accuracy A\n"
      "(no accuracy for regression datasets). Exits with 1 when training diverges, naming the\n"
      "step, and with 2 when an option is invalid. The network has one input per coordinate of\n"
      "the data (2 for the datasets in the plane; 1 for those on a line: " + line_datasets() + ")\n"
      "and the outputs the dataset needs (1 for two classes and regression, K for K classes). The\n"
      "defaults are the app's opening setup (SessionConfig), and training follows the app's\n"
      "construction: the same settings and seed give the same initial network and batches.\n\n"
      "examples:\n"
      "  splinescope train --dataset circles --layers 16,16 --act relu --steps 3000 --seed 7 "
      "--out net.json\n"
      "  splinescope train --dataset sine --layers 16,16 --steps 3000 --out sine.json\n"
      "  splinescope train --dataset fashion-mnist --epochs 5 --out fashion.json\n\n"
      "--dataset fashion-mnist trains on the 28 x 28 grey images of Fashion-MNIST (Zalando\n"
      "Research, MIT licence), read from the IDX files of Debian's dataset-fashion-mnist (or\n"
      "--data-dir): a network with 784 inputs and 10 outputs, the published 60,000 / 10,000\n"
      "split, pixels scaled to [0, 1]. Its defaults differ from the plane's: --layers 64,64,\n"
      "--lr 0.001, --batch 64, one epoch. --config and --save-session are for generated data.";
  v.run = run_train;
  return v;
}

} // namespace

const Verb& train_verb() {
  static const Verb verb = make_train_verb();
  return verb;
}

} // namespace splinescope::cli
