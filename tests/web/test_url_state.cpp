// Tests of the page's URL state (web/share/url_state.h) and the lessons gallery (web/share/lessons.h).
#include "lessons.h"
#include "session.h"
#include "url_state.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

using namespace splinescope;

namespace {

// A value different from the default for every key, as the key's writer prints it.
const std::map<std::string, std::string> kSamples = {
    {"data", "moons"},     {"n", "123"},          {"noise", "0.37"},      {"classes", "3"},
    {"split", "0.6"},      {"seed", "42"},        {"images", "3,14,15"},  {"plane", "orthonormal"},        {"layers", "5,7,9"},    {"act", "abs"},
    {"alpha", "0.2"},      {"bn", "1"},           {"init", "glorot_uniform"},
    {"init_scale", "0.7"}, {"bias", "zero"},      {"bias_scale", "0.25"}, {"loss", "mse"},
    {"opt", "sgd"},        {"lr", "0.003"},       {"batch", "64"},        {"momentum", "0.8"},
    {"nesterov", "1"},     {"beta1", "0.85"},     {"beta2", "0.99"},      {"wd", "0.01"},
    {"l1", "0.001"},       {"l2", "0.002"},       {"schedule", "cosine"}, {"step_every", "500"},
    {"gamma", "0.3"},      {"cosine_steps", "7000"}, {"floor", "0.1"},    {"clip", "2.5"},
    {"pace", "120"},       {"ui_scale", "1.5"},      {"theme", "light"},
    {"speed", "0.5"},      {"play", "1"},         {"steps", "250"},       {"view", "0.5,-1,2.25"},
    {"color", "gradient"}, {"out", "0"},          {"layer", "2"},         {"neuron", "2.4"},
    {"edges", "0"},        {"edgecolor", "layer"},  {"boundary", "0"},     {"points", "0"},        {"test", "0"},
    {"exact", "0"},        {"3d", "1"},           {"orbit", "0.5,1.2"},   {"embed", "1"},
    {"panels", "controls,charts"}, {"caption", "Hello, tiles"},          {"lesson", "lines"},
    {"compare", "bn:1|layers:4,4;lr:0.01"}, {"bn_view", "batch"}};

// Keys whose sample needs other keys to be valid (classes needs a dataset with several classes;
// out needs several outputs; mse needs a regression dataset).
const std::map<std::string, std::string> kContext = {
    {"classes", "data=blobs&"}, {"loss", "data=ripple&"}};

std::map<std::string, std::string> as_map(const std::string& encoded) {
  std::map<std::string, std::string> out;
  if (encoded.empty()) return out;
  std::size_t start = 0;
  while (start <= encoded.size()) {
    std::size_t end = encoded.find('&', start);
    if (end == std::string::npos) end = encoded.size();
    const std::string item = encoded.substr(start, end - start);
    const std::size_t eq = item.find('=');
    out[item.substr(0, eq)] = url_decode(item.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

} // namespace

TEST_CASE("every URL key has a sample value in this test") {
  for (const UrlKey& key : url_keys()) CHECK_MESSAGE(kSamples.count(key.name), key.name);
  CHECK(kSamples.size() == url_keys().size());
}

TEST_CASE("the default state encodes to an empty string") {
  CHECK(encode_page_state(PageState{}) == "");
  const DecodedState d = decode_page_state("");
  CHECK(d.notes.empty());
  CHECK(encode_page_state(d.state) == "");
}

TEST_CASE("every key round-trips a non-default value through the URL") {
  for (const UrlKey& key : url_keys()) {
    if (std::string(key.name) == "out" || std::string(key.name) == "lesson") continue; // below
    const std::string context = kContext.count(key.name) ? kContext.at(key.name) : "";
    const std::string value = kSamples.at(key.name);
    const DecodedState d =
        decode_page_state("#" + context + key.name + "=" + url_encode(value));
    INFO(key.name << " = " << value);
    CHECK(d.notes.empty());
    if (!d.notes.empty()) MESSAGE(d.notes[0]);
    const auto encoded = as_map(encode_page_state(d.state));
    REQUIRE(encoded.count(key.name));
    CHECK(encoded.at(key.name) == value);
  }
}

TEST_CASE("the output key selects among the network's outputs") {
  const DecodedState d = decode_page_state("data=blobs&classes=4&out=3");
  CHECK(d.notes.empty());
  CHECK(d.state.output_index == 3);
  const DecodedState binary = decode_page_state("data=moons&out=3");
  CHECK(binary.state.output_index == 0);
  REQUIRE(binary.notes.size() == 1);
  CHECK(binary.notes[0].find("out:") == 0);
}

TEST_CASE("blobs and spiral take up to 10 classes, and the output key reaches output 9") {
  for (const char* data : {"blobs", "spiral"}) {
    const DecodedState d = decode_page_state(std::string("data=") + data + "&classes=10&out=9");
    INFO(data);
    CHECK(d.notes.empty());
    CHECK(d.state.session.data.classes == 10);
    CHECK(d.state.output_index == 9);
    CHECK(encode_page_state(d.state).find("classes=10") != std::string::npos);
  }
  const DecodedState above = decode_page_state("data=blobs&classes=11");
  CHECK(above.state.session.data.classes == 10);
  REQUIRE(above.notes.size() == 1);
  CHECK(above.notes[0].find("classes") == 0);
}

TEST_CASE("a state with every key set reads back to the same keys") {
  std::string url = "#";
  for (const auto& [key, value] : kSamples)
    if (key != "lesson" && key != "loss") url += key + "=" + url_encode(value) + "&";
  url += "data=blobs&out=2";
  const DecodedState d = decode_page_state(url);
  for (const std::string& n : d.notes) MESSAGE(n);
  CHECK(d.notes.empty());
  const std::string encoded = encode_page_state(d.state);
  const DecodedState again = decode_page_state(encoded);
  CHECK(again.notes.empty());
  CHECK(encode_page_state(again.state) == encoded);
  const auto keys = as_map(encoded);
  CHECK(keys.at("layers") == "5,7,9");
  CHECK(keys.at("caption") == "Hello, tiles");
  CHECK(keys.at("out") == "2");
  CHECK(keys.size() >= kSamples.size() - 3); // all but lesson, loss and the defaulted data
}

TEST_CASE("unknown keys are ignored with a note that names them") {
  const DecodedState d = decode_page_state("#lr=0.05&colour=red&lr=0.02");
  CHECK(d.state.session.train.learning_rate == 0.02); // the last value wins
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].find("'colour'") != std::string::npos);
}

TEST_CASE("malformed values keep the previous value with a note naming the key") {
  const PageState defaults;
  for (const char* bad : {"lr=abc", "lr=", "lr=NaN", "lr=inf", "lr=1e999", "lr=0x", "lr=%ZZ"}) {
    const DecodedState d = decode_page_state(bad);
    INFO(bad);
    CHECK(d.state.session.train.learning_rate == defaults.session.train.learning_rate);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].rfind("lr:", 0) == 0);
  }
  const DecodedState layers = decode_page_state("layers=8,x,8&act=relu,foo&data=nope&bn=maybe");
  CHECK(layers.state.session.network.hidden == defaults.session.network.hidden);
  CHECK(layers.state.session.data.name == defaults.session.data.name);
  CHECK(layers.notes.size() == 4);
}

TEST_CASE("out-of-range values are clamped with a note") {
  const DecodedState d = decode_page_state("lr=50&n=-5&layers=1000,0&noise=7&speed=1e300");
  CHECK(d.state.session.train.learning_rate == 10.0);
  CHECK(d.state.session.data.n == 4);
  CHECK(d.state.session.network.hidden == std::vector<int>{64, 1});
  CHECK(d.state.session.data.noise == 1.0);
  CHECK(d.state.speed == 4.0);
  CHECK(d.notes.size() == 5);
  const DecodedState deep = decode_page_state("layers=1,2,3,4,5,6,7,8,9,10");
  CHECK(deep.state.session.network.hidden.size() == 8);
  CHECK(deep.notes.size() == 1);
}

TEST_CASE("settings that depend on each other are reconciled") {
  const DecodedState classes = decode_page_state("data=moons&classes=5");
  CHECK(classes.state.session.data.classes == 2);
  CHECK(classes.notes.size() == 1);
  const DecodedState acts = decode_page_state("layers=4,4&act=relu,abs,relu");
  CHECK(acts.state.session.network.layer_activations.empty());
  CHECK(acts.notes.size() == 1);
  const DecodedState neuron = decode_page_state("layers=4&neuron=3.1");
  CHECK(neuron.state.neuron_layer == 0);
  const DecodedState unit = decode_page_state("layers=4&neuron=1.9");
  CHECK(unit.state.neuron_layer == 1);
  CHECK(unit.state.neuron_unit == 0);
  // A loss that cannot train this data falls back to the automatic choice.
  const DecodedState loss = decode_page_state("data=moons&loss=mse&lr=0.5");
  CHECK(loss.state.session.data.name == "moons");
  CHECK(loss.state.session.train.loss == Loss::automatic);
  CHECK(loss.state.session.train.learning_rate == 0.5);
  REQUIRE(loss.notes.size() == 1);
  CHECK(loss.notes[0].rfind("loss:", 0) == 0);
}

TEST_CASE("keys read the same from the query, the fragment and a whole URL") {
  const std::string a = encode_page_state(decode_page_state("?data=xor&lr=0.1").state);
  const std::string b = encode_page_state(decode_page_state("#lr=0.1&data=xor").state);
  const std::string c =
      encode_page_state(decode_page_state("https://example.org/s/?data=xor#lr=0.1").state);
  CHECK(a == b);
  CHECK(b == c);
  CHECK(a.find("data=xor") != std::string::npos);
  // The fragment is read last: it overrides the query.
  CHECK(decode_page_state("?lr=0.2#lr=0.3").state.session.train.learning_rate == 0.3);
}

TEST_CASE("a lesson is a starting point that other keys override") {
  const DecodedState d = decode_page_state("lr=0.05&lesson=depth");
  CHECK(d.notes.empty());
  CHECK(d.state.lesson == "depth");
  CHECK(d.state.session.network.hidden == std::vector<int>{6, 6, 6});
  CHECK(d.state.session.train.learning_rate == 0.05);
  CHECK(decode_page_state("lesson=nope").notes.size() == 1);
}

TEST_CASE("every lesson's state reads without a note and differs from the defaults") {
  std::set<std::string> ids, encodings;
  for (const Lesson& lesson : lessons()) {
    INFO(lesson.id);
    const DecodedState d = decode_page_state(lesson.query);
    for (const std::string& n : d.notes) MESSAGE(n);
    CHECK(d.notes.empty());
    CHECK(validate(d.state.session) == "");
    ids.insert(lesson.id);
    encodings.insert(encode_page_state(d.state));
    CHECK(find_lesson(lesson.id) == &lesson);
    CHECK(std::string(lesson.caption).size() > 40);
  }
  CHECK(ids.size() == lessons().size());
  CHECK(encodings.size() == lessons().size()); // no two lessons are the same state
}

TEST_CASE("every lesson's run keeps at least 50 weight snapshots for its timeline") {
  for (const Lesson& lesson : lessons()) {
    INFO(lesson.id);
    const PageState state = decode_page_state(lesson.query).state;
    // Image data needs its images loaded (tests/browser/claims.test.mjs runs that lesson); its
    // 784-input network's snapshots are large, and the timeline keeps to its memory budget.
    if (is_image_data(state.session.data.name)) continue;
    Session session(state.session);
    // A thinned series holds at least half its capacity once it has filled.
    CHECK(session.timeline().capacity() >= 100);
    if (state.run_steps <= 0) continue;
    // Runs up to 3,000 steps are trained here; the longer one by its spacing: a run of s steps
    // keeps every interval-th step, and the interval doubles only when the series is full.
    const std::int64_t trained = std::min<std::int64_t>(state.run_steps, 3000);
    session.train(static_cast<int>(trained));
    const std::size_t kept = session.timeline().items().size();
    CHECK(kept >= std::min<std::size_t>(50, static_cast<std::size_t>(trained / 10)));
    if (state.run_steps > trained) {
      std::int64_t interval = session.timeline().interval();
      std::size_t count = kept;
      for (std::int64_t step = trained + 1; step <= state.run_steps; ++step) {
        if (step % interval != 0) continue;
        if (count >= session.timeline().capacity()) {
          count = (count + 1) / 2;
          interval *= 2;
          if (step % interval != 0) continue;
        }
        ++count;
      }
      CHECK(count >= 50);
    }
  }
}

TEST_CASE("percent-encoding round-trips every byte") {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  CHECK(url_decode(url_encode(all)) == all);
  CHECK(url_decode("a+b%20c%2") == "a b c%2");
}

TEST_CASE("numbers are written as the shortest text that reads back exactly") {
  for (double v : {0.1, 0.3, 1.0 / 3.0, 1e-7, 123456789.0, -2.5, 5e-324}) {
    const std::string text = format_number(v);
    CHECK(std::strtod(text.c_str(), nullptr) == v);
  }
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(100.0) == "100");
}

TEST_CASE("a float setting is written as the shortest decimal that reads back to the same float") {
  CHECK(format_number(0.1f) == "0.1");
  CHECK(format_number(0.8f) == "0.8");
  CHECK(format_number(0.05f) == "0.05");
  CHECK(format_number(3.0f) == "3");
  CHECK(shortest_double(0.1f) == 0.1);
  CHECK(shortest_double(0.05f) == 0.05);
  // Oracle: reading the text back as a float gives the float, and no text with one digit fewer does.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (int i = 0; i < 2000; ++i) {
    const float v = uniform(rng) * std::pow(10.0f, static_cast<float>(i % 9) - 4.0f);
    const std::string text = format_number(v);
    REQUIRE(std::strtof(text.c_str(), nullptr) == v);
    const double d = std::strtod(text.c_str(), nullptr);
    int digits = 1;
    while (digits <= 9) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(v));
      if (std::strtof(buf, nullptr) == v) break;
      ++digits;
    }
    char shortest[40];
    std::snprintf(shortest, sizeof shortest, "%.*g", digits, static_cast<double>(v));
    CHECK(d == std::strtod(shortest, nullptr));
  }
}

TEST_CASE("a float setting read from an address is written back as it was given") {
  const PageState s = decode_page_state("noise=0.3&split=0.7&speed=0.05&lr=0.03").state;
  const std::string encoded = encode_page_state(s);
  for (const char* key : {"noise=0.3&", "split=0.7&", "speed=0.05&", "lr=0.03&"})
    CHECK_MESSAGE((encoded + "&").find(key) != std::string::npos, encoded);
}

TEST_CASE("the window around a centre puts the radius on the shorter side") {
  const Window wide = window_around(1, 2, 3, 200, 100);
  CHECK(wide.x0 == doctest::Approx(-5));
  CHECK(wide.x1 == doctest::Approx(7));
  CHECK(wide.y0 == doctest::Approx(-1));
  CHECK(wide.y1 == doctest::Approx(5));
  const Window tall = window_around(0, 0, 3, 100, 300);
  CHECK(tall.width() == doctest::Approx(6));
  CHECK(tall.height() == doctest::Approx(18));
}

TEST_CASE("five thousand random and malformed URLs always give a usable state") {
  std::mt19937 rng(12345);
  std::vector<std::string> names;
  for (const UrlKey& k : url_keys()) names.push_back(k.name);
  names.insert(names.end(), {"", "x", "lr lr", "%", "=", "&&", "layers[]", "__proto__"});
  const std::vector<std::string> values = {
      "", "0", "-1", "1e308", "-1e308", "NaN", "nan", "Infinity", "-0", "1e-320", "99999999999",
      "3.5", "abc", "%", "%2", "%zz", "%00", ",,,", "1,2,3,4,5,6,7,8,9", "64,64,64,64,64,64,64,64",
      "relu,abs", "1.2.3", "...", "\xff\xfe", "true", "fit", "all", "none", "moons", "blobs",
      "0,0,0", "1,1", std::string(3000, '9'), "leaky_relu", "2.1", "-3.0"};
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  for (int trial = 0; trial < 5000; ++trial) {
    std::string url = pick(3) == 0 ? "?" : "#";
    const std::size_t keys = pick(12);
    for (std::size_t k = 0; k < keys; ++k) {
      url += names[pick(names.size())];
      if (pick(8)) url += "=" + values[pick(values.size())];
      url += pick(10) ? "&" : (pick(2) ? "#" : "?");
    }
    if (pick(4) == 0) url.resize(pick(url.size() + 1)); // truncated
    if (pick(20) == 0) // raw bytes
      for (int i = 0; i < 64; ++i) url += static_cast<char>(pick(256));
    const DecodedState d = decode_page_state(url);
    INFO(url);
    REQUIRE(validate(d.state.session) == "");
    CHECK(d.notes.size() <= 9);
    // What the page writes back reads without a note and is stable.
    const std::string encoded = encode_page_state(d.state);
    const DecodedState again = decode_page_state(encoded);
    CHECK(again.notes.empty());
    CHECK(encode_page_state(again.state) == encoded);
  }
}

TEST_CASE("the plane's three images are read as three indices of the published training set") {
  const DecodedState d = decode_page_state("data=fashion-mnist&images=12,345,6789");
  CHECK(d.notes.empty());
  CHECK(d.state.session.data.name == "fashion-mnist");
  CHECK(d.state.images == std::array<long, 3>{{12, 345, 6789}});
  CHECK(encode_page_state(d.state).find("images=12,345,6789") != std::string::npos);
  for (const char* bad : {"images=1,2", "images=1,2,x", "images=1,2,60000", "images=-1,2,3"}) {
    CAPTURE(bad);
    const DecodedState r = decode_page_state(bad);
    CHECK(r.notes.size() == 1);
    CHECK(r.state.images == std::array<long, 3>{{-1, -1, -1}});
  }
  // Without a plane nothing is written.
  CHECK(encode_page_state(PageState{}).find("images") == std::string::npos);
  CHECK(decode_page_state("plane=orthonormal").state.plane_orthonormal);
  CHECK(decode_page_state("plane=sideways").notes.size() == 1);
}

TEST_CASE("docs/embedding.md lists every URL key and every lesson") {
  std::ifstream file(SPLINESCOPE_SOURCE_DIR "/docs/embedding.md");
  REQUIRE(file.good());
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const UrlKey& key : url_keys())
    CHECK_MESSAGE(text.find("| `" + std::string(key.name) + "` |") != std::string::npos, key.name);
  for (const Lesson& lesson : lessons())
    CHECK_MESSAGE(text.find("`#lesson=" + std::string(lesson.id) + "`") != std::string::npos,
                  lesson.id);
}

TEST_CASE("an absent view and view=fit ask for the fitted view; any explicit view is kept as given") {
  CHECK(decode_page_state("").state.view_fit);
  const DecodedState fit = decode_page_state("#view=fit");
  CHECK(fit.notes.empty());
  CHECK(fit.state.view_fit);
  CHECK(encode_page_state(fit.state) == "");
  // The old default, given explicitly, is a view of its own: centred on the canvas.
  const DecodedState explicit_view = decode_page_state("#view=0,0,3");
  CHECK(!explicit_view.state.view_fit);
  CHECK(encode_page_state(explicit_view.state) == "view=0,0,3");
  // A bad value keeps the fitted view and says so.
  const DecodedState bad = decode_page_state("#view=1,2");
  CHECK(bad.state.view_fit);
  REQUIRE(bad.notes.size() == 1);
  INFO(bad.notes[0]);
  CHECK(bad.notes[0].find("keeping 'fit'") != std::string::npos);
}

TEST_CASE("the pace reads steps per second or max, and a link with speed alone trains at max") {
  CHECK(decode_page_state("").state.pace == kDefaultPace);
  CHECK(decode_page_state("pace=max").state.pace == 0);
  CHECK(encode_page_state(decode_page_state("pace=max").state) == "pace=max");
  const DecodedState fast = decode_page_state("pace=1e9");
  CHECK(fast.state.pace == kMaxPace);
  CHECK(fast.notes.size() == 1);
  CHECK_FALSE(decode_page_state("pace=slow").notes.empty());
  // Before the pace, every link trained as fast as possible; `speed` was its only rate.
  CHECK(decode_page_state("speed=2").state.pace == 0);
  CHECK(decode_page_state("speed=2&pace=30").state.pace == 30);
}

TEST_CASE("a pace clock gives the steps due at its pace, one at once, and keeps no burst") {
  PaceClock clock;
  clock.restart();
  CHECK(clock.due(10, 1000.0) == 1); // one step as soon as training starts
  clock.spend(1);
  CHECK(clock.due(10, 1050.0) == 0);
  CHECK(clock.due(10, 1100.0) == 1); // 0.1 s at 10 steps/s
  clock.spend(1);
  int steps = 0;
  for (double t = 1100.0; t <= 3100.0; t += 16.0) { // two seconds of frames
    const int due = clock.due(10, t);
    steps += due;
    clock.spend(due);
  }
  CHECK(steps >= 19);
  CHECK(steps <= 21);
  // A long gap (a hidden page) gives at most a quarter second's worth.
  CHECK(clock.due(100, 60000.0) == 25);
  CHECK(clock.due(0, 60001.0) > 1000000); // as fast as possible: no limit
}

TEST_CASE("a compare pane changes only the Network and Training keys it names") {
  SessionConfig base;
  base.data.name = "xor";
  base.network.hidden = {8, 8};
  std::vector<std::string> notes;
  std::string canonical;
  const SessionConfig c = compare_pane_config(base, "lr:0.01;act:relu,abs;bn:1", &notes, &canonical);
  CHECK(notes.empty());
  CHECK(c.data.name == "xor");
  CHECK(c.network.hidden == std::vector<int>{8, 8});
  CHECK(c.network.batch_norm);
  CHECK(c.train.learning_rate == doctest::Approx(0.01));
  REQUIRE(c.network.layer_activations.size() == 2);
  CHECK(c.network.layer_activations[1] == Activation::abs);
  // Table order, as the keys write them.
  CHECK(canonical == "act:relu,abs;bn:1;lr:0.01");
  CHECK(compare_pane_config(base, "", &notes).network.hidden == base.network.hidden);
}

TEST_CASE("a compare pane refuses data, view and pace keys and malformed or invalid settings") {
  SessionConfig base;
  for (const char* spec : {"data:moons", "pace:5", "seed:3", "view:0,0,1", "nonsense:1"}) {
    std::vector<std::string> notes;
    std::string canonical;
    const SessionConfig c = compare_pane_config(base, spec, &notes, &canonical);
    CHECK_MESSAGE(notes.size() == 1, spec);
    CHECK(c.data.name == base.data.name);
    CHECK(c.seed == base.seed);
    CHECK(canonical.empty());
  }
  std::vector<std::string> notes;
  const SessionConfig c = compare_pane_config(base, "lr:fast;bn:1", &notes);
  CHECK(notes.size() == 1);
  CHECK(c.network.batch_norm); // the valid part stays
  CHECK(c.train.learning_rate == base.train.learning_rate);
  notes.clear();
  // Three activations for two layers does not validate: the pane keeps the page's settings.
  base.network.hidden = {8, 8};
  const SessionConfig d = compare_pane_config(base, "act:relu,abs,relu;bn:1", &notes);
  CHECK(!notes.empty());
  CHECK(!d.network.batch_norm);
}

TEST_CASE("the compare key reads 2 to 4 panes and writes them back canonically") {
  DecodedState d = decode_page_state("#compare=bn:0|bn:1");
  CHECK(d.notes.empty());
  CHECK(d.state.compare == std::vector<std::string>{"bn:0", "bn:1"});
  CHECK(encode_page_state(d.state) == "compare=bn:0%7Cbn:1");
  CHECK(decode_page_state("#" + encode_page_state(d.state)).state.compare == d.state.compare);
  d = decode_page_state("#compare=layers:64;lr:0.010|layers:16,16,16|act:abs|act:leaky_relu|act:relu");
  CHECK(d.state.compare ==
        std::vector<std::string>{"layers:64;lr:0.01", "layers:16,16,16", "act:abs", "act:leaky_relu"});
  CHECK(d.notes.size() == 1); // five panes: the first four
  d = decode_page_state("#compare=bn:1");
  CHECK(d.state.compare.empty()); // one pane is no comparison
  CHECK(d.notes.size() == 1);
  d = decode_page_state("#compare=data:xor|bn:1");
  CHECK(d.state.compare == std::vector<std::string>{"", "bn:1"}); // the page's settings, and bn
  CHECK(d.notes.size() == 1);
}
