// idx.cpp - see idx.h.
#include "idx.h"

#include "engine_limits.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <utility>

namespace splinescope {

const char* to_string(IdxType type) {
  switch (type) {
  case IdxType::u8:
    return "unsigned byte";
  case IdxType::i8:
    return "signed byte";
  case IdxType::i16:
    return "16-bit int";
  case IdxType::i32:
    return "32-bit int";
  case IdxType::f32:
    return "32-bit float";
  case IdxType::f64:
    return "64-bit float";
  }
  return "?";
}

std::size_t idx_element_size(IdxType type) {
  switch (type) {
  case IdxType::u8:
  case IdxType::i8:
    return 1;
  case IdxType::i16:
    return 2;
  case IdxType::i32:
  case IdxType::f32:
    return 4;
  case IdxType::f64:
    return 8;
  }
  return 1;
}

namespace {

constexpr std::size_t kMaxIdxDims = 4; // MNIST uses 1 and 3; 4 leaves room for colour images

bool known_type(std::uint8_t code) {
  return code == 0x08 || code == 0x09 || code == 0x0B || code == 0x0C || code == 0x0D ||
         code == 0x0E;
}

// "47,040,000": sizes in messages are read by people.
std::string group_digits(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string hex_byte(std::uint8_t b) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned>(b));
  return text;
}

// "60,000 x 28 x 28"
std::string shape_text(const std::vector<std::uint32_t>& shape) {
  std::string out;
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? " x " : "") + group_digits(shape[i]);
  return out;
}

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::uint64_t read_be64(const std::uint8_t* p) {
  return (std::uint64_t{read_be32(p)} << 32) | read_be32(p + 4);
}

// One element of a non-byte type at p, converted exactly to double. Signed values are decoded
// from their two's-complement bits; floats by copying the bits (no aliasing through pointers).
double decode_element(IdxType type, const std::uint8_t* p) {
  switch (type) {
  case IdxType::u8:
    return p[0];
  case IdxType::i8:
    return static_cast<std::int8_t>(p[0]);
  case IdxType::i16:
    return static_cast<std::int16_t>(static_cast<std::uint16_t>((p[0] << 8) | p[1]));
  case IdxType::i32:
    return static_cast<std::int32_t>(read_be32(p));
  case IdxType::f32: {
    const std::uint32_t bits = read_be32(p);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  case IdxType::f64: {
    const std::uint64_t bits = read_be64(p);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  }
  return 0.0;
}

IdxHeaderResult header_failure(std::string error) {
  IdxHeaderResult r;
  r.error = std::move(error);
  return r;
}

// Reads a whole file, refusing one larger than max_bytes before reading it (a wrong path to a
// huge file should not fill the memory). Returns an error sentence, empty on success.
std::string read_binary_file(const std::string& path, std::size_t max_bytes,
                             std::vector<std::uint8_t>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return "cannot open " + path + ": no such file";
  if (fs::is_directory(status)) return "cannot read " + path + ": it is a directory";
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > max_bytes)
      return "cannot read " + path + ": " + group_digits(size) +
             " bytes, more than an IDX file within the element limit can hold (" +
             group_digits(max_bytes) + " bytes)";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open " + path + ": " + std::strerror(errno);
  // Read in chunks with a cap: pipes and special files have no size to check up front.
  out.clear();
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(buffer),
               reinterpret_cast<const std::uint8_t*>(buffer) + in.gcount());
    if (out.size() > max_bytes)
      return "cannot read " + path + ": more than an IDX file within the element limit can hold (" +
             group_digits(max_bytes) + " bytes)";
  }
  if (in.bad()) return "cannot read " + path;
  return "";
}

// The largest file an array of at most max_elements elements can be: header plus 8-byte elements.
std::size_t max_file_bytes(std::size_t max_elements) {
  constexpr std::size_t kMaxHeader = 4 + 4 * kMaxIdxDims;
  constexpr std::size_t kLargest = std::numeric_limits<std::size_t>::max();
  if (max_elements > (kLargest - kMaxHeader) / 8) return kLargest;
  return kMaxHeader + max_elements * 8;
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Arrays
// -----------------------------------------------------------------------------------------------

IdxHeaderResult read_idx_header(const std::uint8_t* data, std::size_t size,
                                std::size_t max_elements) {
  if (size == 0 || data == nullptr) return header_failure("the IDX data is empty");
  if (size >= 2 && data[0] == 0x1F && data[1] == 0x8B)
    return header_failure("the data is gzip-compressed (it starts with 1F 8B), not IDX: "
                          "decompress it first (gunzip)");
  if (size < 4)
    return header_failure("truncated header: an IDX file starts with a 4-byte magic number, found " +
                          group_digits(size) + (size == 1 ? " byte" : " bytes"));
  if (data[0] != 0 || data[1] != 0)
    return header_failure("wrong magic number: the first two bytes are " + hex_byte(data[0]) + " " +
                          hex_byte(data[1]) + ", not 0x00 0x00 (not an IDX file)");
  if (!known_type(data[2]))
    return header_failure("wrong magic number: unknown data type code " + hex_byte(data[2]) +
                          " (known: 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E)");
  const std::size_t dims = data[3];
  if (dims == 0)
    return header_failure("the magic number declares 0 dimensions; an IDX array has at least 1");
  if (dims > kMaxIdxDims)
    return header_failure("the magic number declares " + std::to_string(dims) +
                          " dimensions; this reader accepts 1 to " + std::to_string(kMaxIdxDims));
  const std::size_t header_bytes = 4 + 4 * dims;
  if (size < header_bytes)
    return header_failure("truncated header: " + std::to_string(dims) + " dimensions need " +
                          std::to_string(header_bytes) + " header bytes, found " +
                          group_digits(size));

  IdxHeaderResult r;
  IdxHeader& h = r.header;
  h.type = static_cast<IdxType>(data[2]);
  h.data_offset = header_bytes;
  h.shape.resize(dims);
  bool any_zero = false;
  for (std::size_t i = 0; i < dims; ++i) {
    h.shape[i] = read_be32(data + 4 + 4 * i);
    any_zero = any_zero || h.shape[i] == 0;
  }
  // Count in size_t, checking each product before it is formed, so a header of four sizes near
  // 2^32 is reported rather than wrapped around into a small count.
  constexpr std::size_t kLargest = std::numeric_limits<std::size_t>::max();
  const std::size_t element_size = idx_element_size(h.type);
  std::size_t count = any_zero ? 0 : 1;
  for (std::size_t i = 0; i < dims && count != 0; ++i) {
    if (count > kLargest / h.shape[i])
      return header_failure("element count overflow: the shape " + shape_text(h.shape) +
                            " has more elements than this machine can count");
    count *= h.shape[i];
  }
  if (count > (kLargest - header_bytes) / element_size)
    return header_failure("element count overflow: the shape " + shape_text(h.shape) + " of " +
                          to_string(h.type) + " needs more bytes than this machine can address");
  if (count > max_elements)
    return header_failure("too many elements: the shape " + shape_text(h.shape) + " holds " +
                          group_digits(count) + " elements, more than the limit of " +
                          group_digits(max_elements));
  h.elements = count;

  const std::size_t expected = count * element_size;
  const std::size_t found = size - header_bytes;
  if (found < expected)
    return header_failure("truncated data: expected " + group_digits(expected) +
                          " bytes of data for the shape " + shape_text(h.shape) + " of " +
                          to_string(h.type) + ", found " + group_digits(found));
  if (found > expected)
    return header_failure("trailing bytes: " + group_digits(found - expected) +
                          " bytes after the " + group_digits(expected) +
                          " bytes of data that the shape " + shape_text(h.shape) + " of " +
                          to_string(h.type) + " declares (the header does not describe the file)");
  r.ok = true;
  return r;
}

IdxResult read_idx(const std::uint8_t* data, std::size_t size, std::size_t max_elements) {
  IdxResult r;
  const IdxHeaderResult header = read_idx_header(data, size, max_elements);
  if (!header.ok) {
    r.error = header.error;
    return r;
  }
  const IdxHeader& h = header.header;
  IdxArray& a = r.array;
  a.type = h.type;
  a.shape = h.shape;
  const std::uint8_t* begin = data + h.data_offset;
  if (h.type == IdxType::u8) {
    a.bytes.assign(begin, begin + h.elements);
  } else {
    const std::size_t element_size = idx_element_size(h.type);
    a.values.resize(h.elements);
    for (std::size_t i = 0; i < h.elements; ++i)
      a.values[i] = decode_element(h.type, begin + i * element_size);
  }
  r.ok = true;
  return r;
}

IdxResult read_idx_file(const std::string& path, std::size_t max_elements) {
  IdxResult r;
  std::vector<std::uint8_t> bytes;
  const std::string error = read_binary_file(path, max_file_bytes(max_elements), bytes);
  if (!error.empty()) {
    r.error = error;
    return r;
  }
  r = read_idx(bytes.data(), bytes.size(), max_elements);
  if (!r.ok) r.error = path + ": " + r.error;
  return r;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Image and label pairs
// -----------------------------------------------------------------------------------------------

namespace {

IdxDatasetResult dataset_failure(std::string error) {
  IdxDatasetResult r;
  r.error = std::move(error);
  return r;
}

// images_name / labels_name start the messages: "images" and "labels" for bytes, the paths for
// files.
IdxDatasetResult read_dataset(const std::uint8_t* images, std::size_t images_size,
                              const std::uint8_t* labels, std::size_t labels_size, int max_count,
                              int classes, const std::string& images_name,
                              const std::string& labels_name) {
  if (classes < 2 || classes > 256)
    return dataset_failure("classes must be 2 to 256 (labels are bytes), got " +
                           std::to_string(classes));
  const IdxHeaderResult ih = read_idx_header(images, images_size);
  if (!ih.ok) return dataset_failure(images_name + ": " + ih.error);
  const IdxHeaderResult lh = read_idx_header(labels, labels_size);
  if (!lh.ok) return dataset_failure(labels_name + ": " + lh.error);
  const IdxHeader& im = ih.header;
  const IdxHeader& lb = lh.header;
  if (im.shape.size() != 3)
    return dataset_failure(images_name + ": expected a 3-D array (count x rows x columns), found " +
                           std::to_string(im.shape.size()) + "-D (" + shape_text(im.shape) + ")");
  if (lb.shape.size() != 1)
    return dataset_failure(labels_name + ": expected a 1-D array (count), found " +
                           std::to_string(lb.shape.size()) + "-D (" + shape_text(lb.shape) + ")");
  if (im.type != IdxType::u8)
    return dataset_failure(images_name + ": the pixels are " + to_string(im.type) +
                           "s; expected unsigned bytes (type 0x08)");
  if (lb.type != IdxType::u8)
    return dataset_failure(labels_name + ": the labels are " + to_string(lb.type) +
                           "s; expected unsigned bytes (type 0x08)");
  const std::uint32_t n = im.shape[0];
  if (lb.shape[0] != n)
    return dataset_failure("the image and label counts do not match: " + images_name + " holds " +
                           group_digits(n) + " images, " + labels_name + " holds " +
                           group_digits(lb.shape[0]) + " labels");
  if (n == 0) return dataset_failure(images_name + ": the file holds no images");
  if (im.shape[1] == 0 || im.shape[2] == 0)
    return dataset_failure(images_name + ": images of " + group_digits(im.shape[1]) + " x " +
                           group_digits(im.shape[2]) + " pixels hold nothing");
  // Every label, not only the selected ones: a bad label anywhere means a wrong or damaged file.
  const std::uint8_t* label_bytes = labels + lb.data_offset;
  for (std::uint32_t i = 0; i < n; ++i)
    if (label_bytes[i] >= classes)
      return dataset_failure(labels_name + ": label " + std::to_string(label_bytes[i]) +
                             " of image " + group_digits(i) + " is out of range: expected 0 to " +
                             std::to_string(classes - 1) + " for " + std::to_string(classes) +
                             " classes");

  const std::size_t k = max_count < 0 ? n : std::min<std::size_t>(n, std::size_t(max_count));
  if (k == 0) return dataset_failure("max_count 0 selects no images");
  if (k > static_cast<std::size_t>(kMaxDatasetPoints))
    return dataset_failure("the selection of " + group_digits(k) +
                           " images is more than the engine's limit of " +
                           group_digits(kMaxDatasetPoints) + " points: pass a smaller max_count");

  // rows * cols fits: the header check bounded n * rows * cols by kMaxIdxElements.
  const std::size_t pixels = std::size_t{im.shape[1]} * im.shape[2];
  IdxDatasetResult r;
  r.rows = static_cast<int>(im.shape[1]);
  r.cols = static_cast<int>(im.shape[2]);
  r.total = static_cast<int>(n);
  r.data.classes = classes;
  const Eigen::Index d = static_cast<Eigen::Index>(pixels);
  const Eigen::Index count = static_cast<Eigen::Index>(k);
  r.data.X.resize(d, count);    // (rows * cols, k) one image per column
  r.data.labels.resize(count);  // (k)
  const std::uint8_t* pixel_bytes = images + im.data_offset;
  // Column j is image j's pixels in file order; Eigen's default column-major storage makes it
  // contiguous, so this is one sequential pass over both.
  double* out = r.data.X.data();
  for (std::size_t i = 0; i < k * pixels; ++i) out[i] = pixel_bytes[i] / 255.0;
  for (Eigen::Index j = 0; j < count; ++j) r.data.labels[j] = label_bytes[j];
  r.ok = true;
  return r;
}

} // namespace

IdxDatasetResult read_idx_dataset(const std::uint8_t* images, std::size_t images_size,
                                  const std::uint8_t* labels, std::size_t labels_size,
                                  int max_count, int classes) {
  return read_dataset(images, images_size, labels, labels_size, max_count, classes, "images",
                      "labels");
}

IdxDatasetResult read_idx_dataset_files(const std::string& images_path,
                                        const std::string& labels_path, int max_count,
                                        int classes) {
  std::vector<std::uint8_t> images;
  std::vector<std::uint8_t> labels;
  std::string error = read_binary_file(images_path, max_file_bytes(kMaxIdxElements), images);
  if (error.empty())
    error = read_binary_file(labels_path, max_file_bytes(kMaxIdxElements), labels);
  if (!error.empty()) return dataset_failure(error);
  return read_dataset(images.data(), images.size(), labels.data(), labels.size(), max_count,
                      classes, images_path, labels_path);
}

} // namespace splinescope
