// Sessions on image data (datasets.h, image_data.h): a run on Fashion-MNIST-shaped images that
// were provided, not generated, and handed to a follower with its pixels as bytes. The oracles are
// the images written here, the asset they went through and a twin session training alongside.
#include "datasets.h"
#include "image_data.h"
#include "random.h"
#include "session.h"
#include "training_wire.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>

using namespace splinescope;

namespace {

// 28 x 28 random images, `per_class` of each of the 10 classes, class k brighter in row k.
ImageSet random_images(int per_class, std::uint64_t seed, std::uint32_t first_index) {
  ImageSet s;
  s.rows = s.cols = 28;
  s.classes = 10;
  Rng rng(seed);
  for (int j = 0; j < 10 * per_class; ++j) {
    const int label = j % 10;
    for (int p = 0; p < 784; ++p) {
      const double base = p / 28 == label ? 200 : 30;
      s.pixels.push_back(static_cast<std::uint8_t>(base + rng.uniform(0, 55)));
    }
    s.labels.push_back(static_cast<std::uint8_t>(label));
    s.indices.push_back(first_index + static_cast<std::uint32_t>(3 * j));
  }
  return s;
}

// Provides images as fashion-mnist for one test, and takes them away after it.
struct ProvidedImages {
  std::shared_ptr<const ImageAssetResult> images;
  ProvidedImages() {
    const std::vector<std::uint8_t> bytes =
        write_image_asset(ImageSplit{random_images(6, 1, 0), random_images(3, 2, 5)});
    auto read = std::make_shared<ImageAssetResult>(read_image_asset(bytes.data(), bytes.size()));
    REQUIRE(read->ok);
    images = read;
    provide_images("fashion-mnist", images);
  }
  ~ProvidedImages() { provide_images("fashion-mnist", nullptr); }
};

SessionConfig image_config() {
  SessionConfig c;
  c.data.name = "fashion-mnist";
  c.data.classes = 0;
  c.network.hidden = {8, 8};
  c.train.batch_size = 16;
  return c;
}

} // namespace

TEST_CASE("image data that has not been loaded is refused by name and the session stays") {
  REQUIRE(provided_images("fashion-mnist") == nullptr);
  CHECK(is_image_data("fashion-mnist"));
  CHECK_FALSE(is_image_data("circles"));
  Session session;
  CHECK(session.apply(image_config()) == "the images of fashion-mnist have not been loaded yet");
  CHECK(session.config().data.name == SessionConfig{}.data.name);
  CHECK(session.network().input_dim == 2);
  CHECK_THROWS_AS(Session{image_config()}, std::invalid_argument);
}

TEST_CASE("a session on provided images trains a 784-input, 10-output network on the published split") {
  ProvidedImages provided;
  Session session;
  REQUIRE(session.apply(image_config()) == "");
  const Split& data = session.data();
  CHECK(data.train.X == provided.images->split.train.X); // the images as they were provided
  CHECK(data.test.X == provided.images->split.test.X);
  CHECK(data.train.labels == provided.images->split.train.labels);
  CHECK(data.train.size() == 60);
  CHECK(data.test.size() == 30);
  CHECK(session.network().input_dim == 784);
  CHECK(session.network().outputs() == 10);
  // n, noise and the split do not change published images: no new network for them.
  SessionConfig same = session.config();
  same.data.n = 1000;
  same.data.noise = 0.5;
  same.data.train_fraction = 0.5;
  CHECK(classify_change(session.config(), same) == ChangeKind::none);
  // No image is placed or removed by a click.
  CHECK_FALSE(session.add_point(0.5, 0.5, 3));
  CHECK_FALSE(session.remove_point(0.5, 0.5, 10));
  const double before = session.train_metrics().loss;
  for (int i = 0; i < 20; ++i) REQUIRE(session.train(10).ok);
  CHECK(session.train_metrics().loss < before);
}

TEST_CASE("a handoff of image data carries its pixels as bytes and the follower keeps in step") {
  ProvidedImages provided;
  Session session(image_config());
  Session twin(image_config());
  const std::string bytes = write_handoff(session.handoff());
  // A byte a pixel, not eight: one training pixel off the 1/255 steps sends the 60 training
  // images as doubles, 7 bytes more for each of their 60 x 784 pixels.
  TrainingHandoff off = session.handoff();
  off.data.train.X(5, 5) += 0.1 / 255;
  CHECK(write_handoff(off).size() - bytes.size() == 7u * 60u * 784u);
  CHECK(write_handoff(session.handoff(false), session.data()) == bytes); // the same, uncopied
  // Written again from the shared data: the same bytes, the second time from the kept encoding.
  CHECK(write_handoff(session.handoff(false), session.shared_data()) == bytes);
  CHECK(write_handoff(session.handoff(false), session.shared_data()) == bytes);
  // A twin on the same provided images shares their split; a session on other data is encoded
  // on its own.
  CHECK(twin.shared_data() == session.shared_data());
  SessionConfig circles;
  circles.network.hidden = {4};
  const Session other(circles);
  CHECK(write_handoff(other.handoff(false), other.shared_data()) == write_handoff(other.handoff()));
  CHECK(session.handoff(false).data.train.size() == 0);
  const LoadResult<TrainingHandoff> read = read_handoff(bytes);
  REQUIRE(read.ok());
  CHECK(read.value.data.train.X == session.data().train.X); // bit for bit
  CHECK(read.value.data.test.X == session.data().test.X);
  Session follower(read.value);
  REQUIRE(follower.train(25).ok);
  const LoadResult<TrainingProgress> progress = read_progress(write_progress(follower.progress()));
  REQUIRE(progress.ok());
  REQUIRE(session.adopt(progress.value) == "");
  REQUIRE(twin.train(25).ok);
  CHECK(session.steps() == 25);
  CHECK(session.network().layers[0].W == twin.network().layers[0].W);
  CHECK(session.network().layers[2].b == twin.network().layers[2].b);
}

TEST_CASE("points that are not all multiples of 1/255 travel as doubles, bit for bit") {
  SessionConfig c;
  c.network.hidden = {4};
  Session session(c);
  TrainingHandoff h = session.handoff();
  h.data.train.X(0, 0) = 0.1; // not k / 255
  const LoadResult<TrainingHandoff> read = read_handoff(write_handoff(h));
  REQUIRE(read.ok());
  CHECK(read.value.data.train.X == h.data.train.X);
  // Every value k / 255 (here 0 and 1): bytes, and the same doubles back.
  h.data.train.X.setZero();
  h.data.train.X(1, 2) = 1.0;
  h.data.train.X(0, 3) = 128.0 / 255.0;
  const std::string small = write_handoff(h);
  const LoadResult<TrainingHandoff> back = read_handoff(small);
  REQUIRE(back.ok());
  CHECK(back.value.data.train.X == h.data.train.X);
}
