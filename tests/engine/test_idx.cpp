// IDX reading (engine/idx.h): small files written byte by byte here are the oracle. Arrays of every
// type, image + label pairs as a Dataset, every malformed case refused with a message naming the
// problem, a round trip through a temporary file, and (when its uncompressed files are present)
// the published Fashion-MNIST test split.
#include "idx.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace splinescope;

namespace {

using Bytes = std::vector<std::uint8_t>;

void append_be32(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

// An IDX file: the magic 00 00 type dims, the big-endian sizes, then data as given.
Bytes idx_file(std::uint8_t type, const std::vector<std::uint32_t>& shape, const Bytes& data) {
  Bytes out = {0x00, 0x00, type, static_cast<std::uint8_t>(shape.size())};
  for (std::uint32_t size : shape) append_be32(out, size);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// 3 images of 2 x 3 pixels, row-major, image after image; the extremes 0 and 255 included.
const Bytes kPixels = {
    0,   1,   2,   3,   4,   5,    // image 0: rows {0 1 2}, {3 4 5}
    255, 128, 0,   10,  20,  30,   // image 1
    7,   8,   9,   250, 251, 255}; // image 2
const Bytes kLabels = {2, 0, 9};

Bytes images_file() { return idx_file(0x08, {3, 2, 3}, kPixels); }
Bytes labels_file() { return idx_file(0x08, {3}, kLabels); }

IdxResult read(const Bytes& b, std::size_t max_elements = kMaxIdxElements) {
  return read_idx(b.data(), b.size(), max_elements);
}

IdxDatasetResult read_pair(const Bytes& images, const Bytes& labels, int max_count = -1,
                           int classes = 10) {
  return read_idx_dataset(images.data(), images.size(), labels.data(), labels.size(), max_count,
                          classes);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Checks that reading fails with a message containing every part.
void check_refused(const Bytes& b, const std::vector<std::string>& parts,
                   std::size_t max_elements = kMaxIdxElements) {
  const IdxResult r = read(b, max_elements);
  CHECK_FALSE(r.ok);
  for (const std::string& part : parts) CHECK_MESSAGE(contains(r.error, part), r.error);
}

void check_pair_refused(const IdxDatasetResult& r, const std::vector<std::string>& parts) {
  CHECK_FALSE(r.ok);
  for (const std::string& part : parts) CHECK_MESSAGE(contains(r.error, part), r.error);
}

// A file under the temporary directory with a name no other run uses; removed when destroyed.
struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& tag) {
    std::random_device device;
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    path = std::filesystem::temp_directory_path() /
           ("splinescope_idx_" + tag + "_" + std::to_string(now) + "_" +
            std::to_string(device()));
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
  void write(const Bytes& b) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
};

} // namespace

TEST_CASE("an IDX file of unsigned bytes is read with its shape and values as written") {
  const IdxResult r = read(images_file());
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.array.type == IdxType::u8);
  CHECK(r.array.shape == std::vector<std::uint32_t>{3, 2, 3});
  CHECK(r.array.bytes == kPixels);   // kept as bytes...
  CHECK(r.array.values.empty());     // ...not widened to doubles
  CHECK(r.array.size() == 18);
  CHECK(r.array.value(6) == 255.0);

  const IdxResult labels = read(labels_file());
  REQUIRE_MESSAGE(labels.ok, labels.error);
  CHECK(labels.array.shape == std::vector<std::uint32_t>{3});
  CHECK(labels.array.bytes == kLabels);
}

TEST_CASE("IDX arrays of every other type are decoded from their big-endian bytes") {
  SUBCASE("signed bytes") {
    const IdxResult r = read(idx_file(0x09, {3}, {0xFF, 0x7F, 0x80}));
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.array.type == IdxType::i8);
    CHECK(r.array.bytes.empty());
    CHECK(r.array.values == std::vector<double>{-1, 127, -128});
  }
  SUBCASE("16-bit ints") {
    const IdxResult r = read(idx_file(0x0B, {2}, {0xFF, 0xFE, 0x01, 0x2C}));
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.array.values == std::vector<double>{-2, 300});
  }
  SUBCASE("32-bit ints, as a 2 x 1 array") {
    const IdxResult r =
        read(idx_file(0x0C, {2, 1}, {0xFF, 0xFE, 0xEE, 0x90, 0x7F, 0xFF, 0xFF, 0xFF}));
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.array.shape == std::vector<std::uint32_t>{2, 1});
    CHECK(r.array.values == std::vector<double>{-70000, 2147483647});
  }
  SUBCASE("32-bit floats") {
    const IdxResult r = read(idx_file(0x0D, {2}, {0x3F, 0xC0, 0x00, 0x00, 0xBE, 0x80, 0x00, 0x00}));
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.array.values == std::vector<double>{1.5, -0.25});
  }
  SUBCASE("64-bit floats, in a 4-D array") {
    const IdxResult r =
        read(idx_file(0x0E, {1, 1, 1, 1}, {0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A}));
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.array.shape.size() == 4);
    CHECK(r.array.values == std::vector<double>{0.1}); // the double nearest 0.1, bit for bit
    CHECK(r.array.value(0) == 0.1);
  }
}

TEST_CASE("read_idx_header gives an IDX file's layout without decoding its data") {
  const Bytes b = idx_file(0x0B, {4, 5}, Bytes(40, 0));
  const IdxHeaderResult r = read_idx_header(b.data(), b.size());
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.header.type == IdxType::i16);
  CHECK(r.header.shape == std::vector<std::uint32_t>{4, 5});
  CHECK(r.header.elements == 20);
  CHECK(r.header.data_offset == 12);
  CHECK(idx_element_size(IdxType::f64) == 8);
  CHECK(std::string(to_string(IdxType::f32)) == "32-bit float");
}

TEST_CASE("an IDX array with a size of zero is read as an empty array") {
  const IdxResult r = read(idx_file(0x08, {0, 28, 28}, {}));
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.array.shape == std::vector<std::uint32_t>{0, 28, 28});
  CHECK(r.array.size() == 0);
}

TEST_CASE("a wrong IDX magic number is refused with a message saying what is wrong") {
  check_refused({}, {"empty"});
  check_refused({0x01, 0x00, 0x08, 0x01, 0, 0, 0, 0}, {"wrong magic number", "0x01 0x00"});
  check_refused({0x00, 0x02, 0x08, 0x01, 0, 0, 0, 0}, {"wrong magic number", "0x00 0x02"});
  check_refused(idx_file(0x0A, {1}, {0}), {"wrong magic number", "unknown data type code 0x0A"});
  check_refused(idx_file(0x07, {1}, {0}), {"unknown data type code 0x07"});
  // A .gz file passed as it is on disk.
  check_refused({0x1F, 0x8B, 0x08, 0x08, 0, 0, 0, 0}, {"gzip-compressed", "decompress"});
}

TEST_CASE("IDX dimension counts of zero or more than four are refused") {
  check_refused({0x00, 0x00, 0x08, 0x00}, {"0 dimensions"});
  check_refused(idx_file(0x08, {1, 1, 1, 1, 1}, {7}), {"5 dimensions", "1 to 4"});
}

TEST_CASE("a truncated IDX header is refused") {
  check_refused({0x00, 0x00, 0x08}, {"truncated header", "found 3 bytes"});
  Bytes b = idx_file(0x08, {3, 2, 3}, {});
  b.resize(10); // the magic and one and a half of three sizes
  check_refused(b, {"truncated header", "3 dimensions need 16 header bytes, found 10"});
}

TEST_CASE("truncated IDX data is refused with the expected and found sizes") {
  // The Fashion-MNIST training images' header with only 1,000 bytes of pixels.
  check_refused(idx_file(0x08, {60000, 28, 28}, Bytes(1000, 0)),
                {"truncated data", "expected 47,040,000 bytes of data", "60,000 x 28 x 28",
                 "found 1,000"});
  Bytes b = images_file();
  b.pop_back();
  check_refused(b, {"truncated data", "expected 18 bytes", "found 17"});
  // Multi-byte types count bytes, not elements.
  check_refused(idx_file(0x0E, {2}, Bytes(15, 0)), {"expected 16 bytes", "64-bit float"});
}

TEST_CASE("trailing bytes after the IDX data are refused") {
  Bytes b = images_file();
  b.push_back(0);
  b.push_back(0);
  check_refused(b, {"trailing bytes", "2 bytes after the 18 bytes of data"});
}

TEST_CASE("an IDX element count that overflows or exceeds max_elements is refused") {
  constexpr std::uint32_t kHuge = 0xFFFFFFFFu;
  constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);
  // (2^32 - 1)^4 elements cannot be counted in 64 bits.
  check_refused(idx_file(0x08, {kHuge, kHuge, kHuge, kHuge}, {}),
                {"element count overflow", "4,294,967,295 x 4,294,967,295"}, kNoLimit);
  // (2^32 - 1)^2 elements can, but not their bytes as 64-bit floats.
  check_refused(idx_file(0x0E, {kHuge, kHuge}, {}), {"element count overflow", "bytes"}, kNoLimit);
  // Under the default limit a plausible but huge header is refused before any data is looked at.
  check_refused(idx_file(0x08, {1000000, 28, 28}, {}),
                {"too many elements", "784,000,000 elements", "limit of 67,108,864"});
  check_refused(images_file(), {"too many elements", "18 elements", "limit of 17"}, 17);
  CHECK(read(images_file(), 18).ok);
}

TEST_CASE("IDX images and labels become a Dataset with one image per column scaled to [0, 1]") {
  const IdxDatasetResult r = read_pair(images_file(), labels_file());
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.rows == 2);
  CHECK(r.cols == 3);
  CHECK(r.total == 3);
  const Dataset& d = r.data;
  CHECK(d.dim() == 6);
  CHECK(d.size() == 3);
  CHECK(d.classes == 10);
  CHECK(d.targets.size() == 0);
  CHECK(d.labels[0] == 2);
  CHECK(d.labels[1] == 0);
  CHECK(d.labels[2] == 9);
  // Pixel (row, col) of image j is X(row * cols + col, j) = byte / 255.
  for (Eigen::Index j = 0; j < 3; ++j)
    for (Eigen::Index p = 0; p < 6; ++p) CHECK(d.X(p, j) == kPixels[j * 6 + p] / 255.0);
  CHECK(d.X(0, 1) == 1.0); // 255 is exactly 1
  CHECK(d.X(0, 0) == 0.0);
  CHECK(d.X(5, 2) == 1.0);
  CHECK(d.X(3, 2) == 250.0 / 255.0); // image 2, row 1, column 0
  CHECK(d.X.minCoeff() >= 0.0);
  CHECK(d.X.maxCoeff() <= 1.0);
}

TEST_CASE("max_count takes the first images of an IDX image and label pair") {
  const IdxDatasetResult two = read_pair(images_file(), labels_file(), 2);
  REQUIRE_MESSAGE(two.ok, two.error);
  CHECK(two.total == 3);
  CHECK(two.data.size() == 2);
  CHECK(two.data.labels.size() == 2);
  CHECK(two.data.labels[1] == 0);
  CHECK(two.data.X(0, 1) == 1.0);
  CHECK(two.data.X(5, 1) == 30.0 / 255.0);

  CHECK(read_pair(images_file(), labels_file(), 100).data.size() == 3); // more than there are
  CHECK(read_pair(images_file(), labels_file(), -1).data.size() == 3);  // negative: all
  check_pair_refused(read_pair(images_file(), labels_file(), 0), {"max_count 0"});
}

TEST_CASE("IDX image and label files that do not fit together are refused") {
  SUBCASE("counts that do not match") {
    check_pair_refused(read_pair(images_file(), idx_file(0x08, {2}, {1, 2})),
                       {"counts do not match", "3 images", "2 labels"});
  }
  SUBCASE("a label beyond the classes") {
    check_pair_refused(read_pair(images_file(), idx_file(0x08, {3}, {1, 12, 0})),
                       {"label 12 of image 1 is out of range", "0 to 9"});
    // Fewer classes make a label that fits ten out of range.
    check_pair_refused(read_pair(images_file(), labels_file(), -1, 3),
                       {"label 9 of image 2", "0 to 2 for 3 classes"});
    // Every label is checked, also those max_count leaves out.
    check_pair_refused(read_pair(images_file(), labels_file(), 1, 3), {"label 9 of image 2"});
  }
  SUBCASE("images that are not 3-D, labels that are not 1-D") {
    check_pair_refused(read_pair(idx_file(0x08, {3, 6}, kPixels), labels_file()),
                       {"images:", "expected a 3-D array", "found 2-D (3 x 6)"});
    check_pair_refused(read_pair(images_file(), idx_file(0x08, {3, 1}, kLabels)),
                       {"labels:", "expected a 1-D array", "found 2-D (3 x 1)"});
    check_pair_refused(read_pair(labels_file(), images_file()), {"images:", "found 1-D"});
  }
  SUBCASE("types other than unsigned bytes") {
    check_pair_refused(read_pair(idx_file(0x09, {3, 2, 3}, kPixels), labels_file()),
                       {"images:", "signed byte", "expected unsigned bytes"});
    check_pair_refused(read_pair(images_file(), idx_file(0x0B, {3}, {0, 2, 0, 0, 0, 9})),
                       {"labels:", "16-bit int", "expected unsigned bytes"});
  }
  SUBCASE("no images, or images without pixels") {
    check_pair_refused(read_pair(idx_file(0x08, {0, 2, 3}, {}), idx_file(0x08, {0}, {})),
                       {"no images"});
    check_pair_refused(read_pair(idx_file(0x08, {3, 0, 3}, {}), labels_file()),
                       {"0 x 3 pixels"});
  }
  SUBCASE("a malformed file of the pair, named") {
    Bytes truncated = images_file();
    truncated.pop_back();
    check_pair_refused(read_pair(truncated, labels_file()), {"images: truncated data"});
    Bytes trailing = labels_file();
    trailing.push_back(1);
    check_pair_refused(read_pair(images_file(), trailing), {"labels: trailing bytes"});
  }
  SUBCASE("a class count labels cannot have") {
    check_pair_refused(read_pair(images_file(), labels_file(), -1, 1), {"classes must be 2 to 256"});
    check_pair_refused(read_pair(images_file(), labels_file(), -1, 257), {"got 257"});
  }
}

TEST_CASE("IDX files round-trip through a temporary file") {
  const TempFile images("images");
  const TempFile labels("labels");
  images.write(images_file());
  labels.write(labels_file());

  const IdxResult array = read_idx_file(images.path.string());
  REQUIRE_MESSAGE(array.ok, array.error);
  CHECK(array.array.shape == std::vector<std::uint32_t>{3, 2, 3});
  CHECK(array.array.bytes == kPixels);

  const IdxDatasetResult pair = read_idx_dataset_files(images.path.string(), labels.path.string());
  REQUIRE_MESSAGE(pair.ok, pair.error);
  CHECK(pair.data.size() == 3);
  CHECK(pair.data.X(0, 1) == 1.0);
  CHECK(pair.data.labels[2] == 9);

  // Errors name the file at fault.
  const IdxResult limited = read_idx_file(images.path.string(), 5);
  CHECK_FALSE(limited.ok);
  CHECK_MESSAGE(contains(limited.error, images.path.string() + ": too many elements"),
                limited.error);
  const IdxDatasetResult swapped =
      read_idx_dataset_files(labels.path.string(), images.path.string());
  CHECK_FALSE(swapped.ok);
  CHECK_MESSAGE(contains(swapped.error, labels.path.string() + ": expected a 3-D array"),
                swapped.error);

  const TempFile missing("missing");
  const IdxResult none = read_idx_file(missing.path.string());
  CHECK_FALSE(none.ok);
  CHECK_MESSAGE(contains(none.error, "no such file"), none.error);
  const IdxResult directory = read_idx_file(std::filesystem::temp_directory_path().string());
  CHECK_FALSE(directory.ok);
  CHECK_MESSAGE(contains(directory.error, "directory"), directory.error);
}

// Debian's dataset-fashion-mnist installs the files gzip'd; the engine has no zlib, so this test
// runs only where someone has decompressed them (gunzip -k), in that directory or in the one
// SPLINESCOPE_FASHION_MNIST_DIR names. Elsewhere it says why it checked nothing.
TEST_CASE("the Fashion-MNIST test split read from IDX files is 10,000 balanced 28x28 images") {
  const char* env = std::getenv("SPLINESCOPE_FASHION_MNIST_DIR");
  const std::filesystem::path dir = env && *env ? env : "/usr/share/datasets/fashion-mnist";
  const std::filesystem::path images = dir / "t10k-images-idx3-ubyte";
  const std::filesystem::path labels = dir / "t10k-labels-idx1-ubyte";
  std::error_code ec;
  if (!std::filesystem::exists(images, ec) || !std::filesystem::exists(labels, ec)) {
    MESSAGE("skipped: no uncompressed Fashion-MNIST test split in " << dir.string());
    return;
  }
  const IdxDatasetResult r = read_idx_dataset_files(images.string(), labels.string());
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.total == 10000);
  CHECK(r.rows == 28);
  CHECK(r.cols == 28);
  CHECK(r.data.size() == 10000);
  CHECK(r.data.dim() == 784);
  CHECK(r.data.X.minCoeff() >= 0.0);
  CHECK(r.data.X.maxCoeff() <= 1.0);
  std::vector<int> per_class(10, 0);
  for (Eigen::Index i = 0; i < r.data.labels.size(); ++i) ++per_class[r.data.labels[i]];
  CHECK(per_class == std::vector<int>(10, 1000)); // the published test split is balanced
}
