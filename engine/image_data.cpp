// image_data.cpp - image sets from IDX bytes, balanced subsets and the image asset (image_data.h).
//
// Index
//   [SECTION] Image sets
//   [SECTION] Fashion-MNIST
//   [SECTION] The image asset
//   [SECTION] Loaded image data
#include "image_data.h"

#include "engine_limits.h"
#include "idx.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Image sets
// -----------------------------------------------------------------------------------------------

namespace {
ImageSetResult set_failure(std::string error) {
  ImageSetResult r;
  r.error = std::move(error);
  return r;
}

// Empty when the set's sizes agree with each other and with the engine's limits.
std::string check_set(const ImageSet& s, const char* name) {
  const std::string what(name);
  if (s.rows < 1 || s.cols < 1 || s.rows * s.cols > kMaxInputDim)
    return what + ": images of " + std::to_string(s.rows) + " x " + std::to_string(s.cols) +
           " pixels; the engine takes 1 to " + std::to_string(kMaxInputDim) + " pixels an image";
  if (s.classes < 2 || s.classes > kMaxOutputs)
    return what + ": " + std::to_string(s.classes) + " classes; expected 2 to " +
           std::to_string(kMaxOutputs);
  if (s.labels.size() > static_cast<std::size_t>(kMaxDatasetPoints))
    return what + ": " + std::to_string(s.labels.size()) + " images, more than the limit of " +
           std::to_string(kMaxDatasetPoints);
  if (s.indices.size() != s.labels.size() ||
      s.pixels.size() != s.labels.size() * static_cast<std::size_t>(s.dim()))
    return what + ": the pixel, label and index counts do not agree";
  for (std::size_t j = 0; j < s.labels.size(); ++j) {
    if (s.labels[j] >= s.classes)
      return what + " image " + std::to_string(j) + ": label " + std::to_string(s.labels[j]) +
             " is out of range for " + std::to_string(s.classes) + " classes";
    if (j > 0 && s.indices[j] <= s.indices[j - 1])
      return what + " image " + std::to_string(j) + ": index " + std::to_string(s.indices[j]) +
             " does not follow " + std::to_string(s.indices[j - 1]) + " (indices must increase)";
  }
  return "";
}
} // namespace

Dataset to_dataset(const ImageSet& images) {
  Dataset d;
  d.classes = images.classes;
  const Eigen::Index n = images.size();
  d.X.resize(images.dim(), n); // (rows * cols, n) one image per column
  d.labels.resize(n);          // (n)
  // Column-major X makes image j's pixels contiguous, in the file's order: one sequential pass.
  double* out = d.X.data();
  const std::size_t count = images.pixels.size();
  for (std::size_t i = 0; i < count; ++i) out[i] = images.pixels[i] / 255.0;
  for (Eigen::Index j = 0; j < n; ++j) d.labels(j) = images.labels[static_cast<std::size_t>(j)];
  return d;
}

Split to_split(const ImageSplit& images) {
  return Split{to_dataset(images.train), to_dataset(images.test)};
}

ImageSetResult read_image_set(const std::uint8_t* images, std::size_t images_size,
                              const std::uint8_t* labels, std::size_t labels_size, int classes) {
  if (classes < 2 || classes > kMaxOutputs)
    return set_failure("classes must be 2 to " + std::to_string(kMaxOutputs) + ", got " +
                       std::to_string(classes));
  // The headers first: a wrong pair is refused before 47 MB of pixels are copied.
  const IdxHeaderResult ih = read_idx_header(images, images_size);
  if (!ih.ok) return set_failure("images: " + ih.error);
  const IdxHeaderResult lh = read_idx_header(labels, labels_size);
  if (!lh.ok) return set_failure("labels: " + lh.error);
  const IdxHeader& im = ih.header;
  const IdxHeader& lb = lh.header;
  if (im.shape.size() != 3 || im.type != IdxType::u8)
    return set_failure("images: expected a 3-D array of unsigned bytes (count x rows x columns)");
  if (lb.shape.size() != 1 || lb.type != IdxType::u8)
    return set_failure("labels: expected a 1-D array of unsigned bytes (count)");
  if (im.shape[0] != lb.shape[0])
    return set_failure("the image and label counts do not match: " + std::to_string(im.shape[0]) +
                       " images, " + std::to_string(lb.shape[0]) + " labels");
  if (im.shape[0] == 0) return set_failure("images: the file holds no images");
  if (std::size_t{im.shape[1]} * im.shape[2] > static_cast<std::size_t>(kMaxInputDim) ||
      im.shape[1] == 0 || im.shape[2] == 0)
    return set_failure("images: images of " + std::to_string(im.shape[1]) + " x " +
                       std::to_string(im.shape[2]) + " pixels; the engine takes 1 to " +
                       std::to_string(kMaxInputDim) + " pixels an image");
  if (im.shape[0] > static_cast<std::uint32_t>(kMaxDatasetPoints))
    return set_failure("images: " + std::to_string(im.shape[0]) +
                       " images, more than the limit of " + std::to_string(kMaxDatasetPoints));

  ImageSetResult r;
  ImageSet& s = r.images;
  s.rows = static_cast<int>(im.shape[1]);
  s.cols = static_cast<int>(im.shape[2]);
  s.classes = classes;
  const std::size_t n = im.shape[0];
  s.pixels.assign(images + im.data_offset, images + im.data_offset + im.elements);
  s.labels.assign(labels + lb.data_offset, labels + lb.data_offset + n);
  s.indices.resize(n);
  for (std::size_t j = 0; j < n; ++j) s.indices[j] = static_cast<std::uint32_t>(j);
  for (std::size_t j = 0; j < n; ++j)
    if (s.labels[j] >= classes)
      return set_failure("labels: label " + std::to_string(s.labels[j]) + " of image " +
                         std::to_string(j) + " is out of range for " + std::to_string(classes) +
                         " classes");
  r.ok = true;
  return r;
}

ImageSetResult balanced_subset(const ImageSet& images, int per_class) {
  if (per_class < 1)
    return set_failure("per_class must be at least 1, got " + std::to_string(per_class));
  std::vector<int> taken(static_cast<std::size_t>(images.classes), 0);
  std::vector<std::size_t> chosen; // ascending positions in `images`
  chosen.reserve(static_cast<std::size_t>(per_class) * taken.size());
  for (std::size_t j = 0; j < images.labels.size(); ++j) {
    int& t = taken[images.labels[j]];
    if (t < per_class) {
      ++t;
      chosen.push_back(j);
    }
  }
  for (std::size_t k = 0; k < taken.size(); ++k)
    if (taken[k] < per_class)
      return set_failure("class " + std::to_string(k) + " has " + std::to_string(taken[k]) +
                         " images, fewer than the " + std::to_string(per_class) + " asked for");
  ImageSetResult r;
  ImageSet& s = r.images;
  s.rows = images.rows;
  s.cols = images.cols;
  s.classes = images.classes;
  const std::size_t P = static_cast<std::size_t>(images.dim());
  s.pixels.resize(chosen.size() * P);
  s.labels.resize(chosen.size());
  s.indices.resize(chosen.size());
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const std::size_t j = chosen[i];
    std::memcpy(s.pixels.data() + i * P, images.pixels.data() + j * P, P);
    s.labels[i] = images.labels[j];
    s.indices[i] = images.indices[j];
  }
  r.ok = true;
  return r;
}

ImageSet first_images(const ImageSet& images, int count) {
  const std::size_t n =
      std::min<std::size_t>(images.labels.size(), static_cast<std::size_t>(std::max(count, 0)));
  const std::size_t P = static_cast<std::size_t>(images.dim());
  ImageSet s;
  s.rows = images.rows;
  s.cols = images.cols;
  s.classes = images.classes;
  s.pixels.assign(images.pixels.begin(),
                  images.pixels.begin() + static_cast<std::ptrdiff_t>(n * P));
  s.labels.assign(images.labels.begin(), images.labels.begin() + static_cast<std::ptrdiff_t>(n));
  s.indices.assign(images.indices.begin(), images.indices.begin() + static_cast<std::ptrdiff_t>(n));
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Fashion-MNIST
// -----------------------------------------------------------------------------------------------

const std::array<const char*, 10>& fashion_mnist_class_names() {
  static const std::array<const char*, 10> names = {
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] The image asset
// -----------------------------------------------------------------------------------------------

namespace {
constexpr std::uint8_t kAssetMagic[8] = {'S', 'S', 'I', 'M', 'A', 'G', 'E', 'S'};

void put_u16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put_u16(out, v & 0xFFFFu);
  put_u16(out, v >> 16);
}
std::uint32_t get_u16(const std::uint8_t* p) {
  return p[0] | (std::uint32_t{p[1]} << 8);
}
std::uint32_t get_u32(const std::uint8_t* p) {
  return get_u16(p) | (get_u16(p + 2) << 16);
}

void put_set(std::vector<std::uint8_t>& out, const ImageSet& s) {
  out.insert(out.end(), s.labels.begin(), s.labels.end());
  for (std::uint32_t index : s.indices) put_u32(out, index);
  out.insert(out.end(), s.pixels.begin(), s.pixels.end());
}

// Reads one part at `p` (its size already checked against the header's counts).
ImageSet get_set(const std::uint8_t* p, std::size_t n, int rows, int cols, int classes) {
  ImageSet s;
  s.rows = rows;
  s.cols = cols;
  s.classes = classes;
  s.labels.assign(p, p + n);
  p += n;
  s.indices.resize(n);
  for (std::size_t j = 0; j < n; ++j) s.indices[j] = get_u32(p + 4 * j);
  p += 4 * n;
  s.pixels.assign(p, p + n * static_cast<std::size_t>(rows * cols));
  return s;
}

ImageAssetResult asset_failure(std::string error) {
  ImageAssetResult r;
  r.error = "image asset: " + std::move(error);
  return r;
}
} // namespace

std::vector<std::uint8_t> write_image_asset(const ImageSplit& images) {
  const ImageSet& tr = images.train;
  const ImageSet& te = images.test;
  for (const std::string& problem : {check_set(tr, "train"), check_set(te, "test")})
    if (!problem.empty()) throw std::invalid_argument(problem);
  if (tr.rows != te.rows || tr.cols != te.cols || tr.classes != te.classes)
    throw std::invalid_argument("the train and test images differ in size or classes");
  if (tr.size() == 0) throw std::invalid_argument("the asset needs at least one training image");
  std::vector<std::uint8_t> out;
  out.reserve(kImageAssetHeaderBytes + tr.labels.size() * 5 + tr.pixels.size() +
              te.labels.size() * 5 + te.pixels.size());
  for (std::uint8_t byte : kAssetMagic) out.push_back(byte);
  put_u32(out, kImageAssetVersion);
  put_u16(out, static_cast<std::uint32_t>(tr.rows));
  put_u16(out, static_cast<std::uint32_t>(tr.cols));
  put_u16(out, static_cast<std::uint32_t>(tr.classes));
  put_u16(out, 0);
  put_u32(out, static_cast<std::uint32_t>(tr.size()));
  put_u32(out, static_cast<std::uint32_t>(te.size()));
  put_set(out, tr);
  put_set(out, te);
  return out;
}

ImageAssetResult read_image_asset(const std::uint8_t* data, std::size_t size) {
  if (size < kImageAssetHeaderBytes)
    return asset_failure(std::to_string(size) + " bytes, shorter than its " +
                         std::to_string(kImageAssetHeaderBytes) + "-byte header (truncated)");
  if (std::memcmp(data, kAssetMagic, 8) != 0)
    return asset_failure(
        "wrong magic: not a SplineScope image asset (it starts with \"SSIMAGES\")");
  const std::uint32_t version = get_u32(data + 8);
  if (version != kImageAssetVersion)
    return asset_failure("version " + std::to_string(version) + "; this reader reads version " +
                         std::to_string(kImageAssetVersion));
  const int rows = static_cast<int>(get_u16(data + 12));
  const int cols = static_cast<int>(get_u16(data + 14));
  const int classes = static_cast<int>(get_u16(data + 16));
  const std::uint32_t reserved = get_u16(data + 18);
  const std::uint32_t n_train = get_u32(data + 20);
  const std::uint32_t n_test = get_u32(data + 24);
  if (rows < 1 || cols < 1 || rows * cols > kMaxInputDim)
    return asset_failure("images of " + std::to_string(rows) + " x " + std::to_string(cols) +
                         " pixels; the engine takes 1 to " + std::to_string(kMaxInputDim) +
                         " pixels an image");
  if (classes < 2 || classes > kMaxOutputs)
    return asset_failure(std::to_string(classes) + " classes; expected 2 to " +
                         std::to_string(kMaxOutputs));
  if (reserved != 0)
    return asset_failure("the reserved header field is " + std::to_string(reserved) + ", not 0");
  if (n_train < 1 || n_train > static_cast<std::uint32_t>(kMaxDatasetPoints))
    return asset_failure("bad count: " + std::to_string(n_train) +
                         " training images; expected 1 to " + std::to_string(kMaxDatasetPoints));
  if (n_test > static_cast<std::uint32_t>(kMaxDatasetPoints))
    return asset_failure("bad count: " + std::to_string(n_test) + " test images; expected 0 to " +
                         std::to_string(kMaxDatasetPoints));
  // 64-bit arithmetic: at most 2 x 100,000 x 789 bytes, far from overflow.
  const std::uint64_t per_image = 5 + static_cast<std::uint64_t>(rows * cols);
  const std::uint64_t expected =
      kImageAssetHeaderBytes + (std::uint64_t{n_train} + n_test) * per_image;
  if (size < expected)
    return asset_failure("truncated: " + std::to_string(size) + " bytes, but its counts (" +
                         std::to_string(n_train) + " train, " + std::to_string(n_test) +
                         " test images of " + std::to_string(rows) + " x " + std::to_string(cols) +
                         ") need " + std::to_string(expected));
  if (size > expected)
    return asset_failure(std::to_string(size - expected) +
                         " bytes after the images: the counts do not describe the file");

  ImageAssetResult r;
  const std::uint8_t* p = data + kImageAssetHeaderBytes;
  r.images.train = get_set(p, n_train, rows, cols, classes);
  r.images.test = get_set(p + n_train * per_image, n_test, rows, cols, classes);
  for (const std::string& problem :
       {check_set(r.images.train, "train"), check_set(r.images.test, "test")})
    if (!problem.empty()) return asset_failure(problem);
  r.split = to_split(r.images);
  r.ok = true;
  return r;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Loaded image data
// -----------------------------------------------------------------------------------------------

namespace {
std::map<std::string, std::shared_ptr<const ImageAssetResult>>& loaded_images() {
  static std::map<std::string, std::shared_ptr<const ImageAssetResult>> images;
  return images;
}
} // namespace

void provide_images(const std::string& name, std::shared_ptr<const ImageAssetResult> images) {
  if (images)
    loaded_images()[name] = std::move(images);
  else
    loaded_images().erase(name);
}

std::shared_ptr<const ImageAssetResult> provided_images(const std::string& name) {
  const auto found = loaded_images().find(name);
  return found == loaded_images().end() ? nullptr : found->second;
}

} // namespace splinescope
