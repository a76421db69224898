// idx.h - a reader for IDX files, the format of MNIST and Fashion-MNIST: arrays of numbers, and
// image + label pairs turned into a Dataset.
//
// The format (big-endian throughout):
//   bytes 0-1   0x00 0x00
//   byte  2     data type: 0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit int, 0x0C 32-bit
//               int, 0x0D 32-bit float, 0x0E 64-bit float
//   byte  3     number of dimensions (this reader: 1 to 4)
//   then        one uint32 size per dimension, outermost first
//   then        the data, row-major (the last dimension varies fastest), one element of the type
//               after another and nothing else
// MNIST and Fashion-MNIST images are (n, 28, 28) unsigned bytes, labels (n) unsigned bytes.
//
// Compression: the published files are gzip'd (*.gz). The engine links no zlib, so these functions
// take bytes that are already decompressed, or read an uncompressed file; a gzip stream given by
// mistake is recognised by its first two bytes (1F 8B) and refused with a message that says so.
//
// Trailing bytes are refused: IDX has no footer, so bytes after the data mean the header's sizes
// do not describe the file (a wrong or damaged file), and reading on would silently drop data.
//
// Every failure is reported as a sentence naming the problem (ok = false, error set); no function
// here throws or aborts on bad input, and none allocates more than the header's checked sizes.
//
// Index
//   [SECTION] Arrays
//   [SECTION] Image and label pairs
#pragma once

#include "dataset.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Arrays
// -----------------------------------------------------------------------------------------------

// The data type code, byte 2 of the magic number.
enum class IdxType : std::uint8_t {
  u8 = 0x08,  // unsigned byte (MNIST pixels and labels)
  i8 = 0x09,  // signed byte
  i16 = 0x0B, // 16-bit signed int
  i32 = 0x0C, // 32-bit signed int
  f32 = 0x0D, // 32-bit IEEE float
  f64 = 0x0E, // 64-bit IEEE float
};
const char* to_string(IdxType type); // "unsigned byte", "32-bit float", ...
std::size_t idx_element_size(IdxType type); // bytes per element: 1, 1, 2, 4, 4, 8

// Elements one array may hold unless the caller says otherwise: 2^26 = 67,108,864, room for the
// largest Fashion-MNIST file (60,000 x 28 x 28 = 47,040,000 bytes) while refusing a header that
// asks for gigabytes. Other types than u8 are stored as doubles, so at this limit they take 512 MB:
// pass a smaller max_elements where that matters.
constexpr std::size_t kMaxIdxElements = std::size_t{1} << 26;

// A checked header: the file's layout without its data decoded.
struct IdxHeader {
  IdxType type = IdxType::u8;
  std::vector<std::uint32_t> shape; // (dims) sizes, outermost first: {n, rows, cols} for images
  std::size_t elements = 0;         // product of shape (0 when any size is 0)
  std::size_t data_offset = 0;      // where the data starts: 4 + 4 * dims
};

struct IdxHeaderResult {
  bool ok = false;
  std::string error; // empty when ok
  IdxHeader header;
};

// Checks the whole file's structure (magic, dimensions, sizes, data length, no trailing bytes)
// without decoding the data: the cheap way to learn a file's shape.
IdxHeaderResult read_idx_header(const std::uint8_t* data, std::size_t size,
                                std::size_t max_elements = kMaxIdxElements);

// A decoded array. Unsigned bytes stay bytes (1 byte a pixel instead of 8 as a double: 47 MB
// rather than 376 MB for the Fashion-MNIST training images); every other type becomes doubles,
// which hold all of them exactly.
struct IdxArray {
  IdxType type = IdxType::u8;
  std::vector<std::uint32_t> shape; // (dims) sizes, outermost first
  std::vector<std::uint8_t> bytes;  // (elements) row-major, for type u8 only; empty otherwise
  std::vector<double> values;       // (elements) row-major, for every other type; empty for u8

  std::size_t size() const { return type == IdxType::u8 ? bytes.size() : values.size(); }
  // Element i (row-major) as a double, whatever the type.
  double value(std::size_t i) const {
    return type == IdxType::u8 ? static_cast<double>(bytes[i]) : values[i];
  }
};

struct IdxResult {
  bool ok = false;
  std::string error; // empty when ok
  IdxArray array;
};

IdxResult read_idx(const std::uint8_t* data, std::size_t size,
                   std::size_t max_elements = kMaxIdxElements);
// Reads an uncompressed IDX file; errors start with the path ("t10k-labels-idx1-ubyte: ...").
IdxResult read_idx_file(const std::string& path, std::size_t max_elements = kMaxIdxElements);

// -----------------------------------------------------------------------------------------------
// [SECTION] Image and label pairs
// -----------------------------------------------------------------------------------------------

struct IdxDatasetResult {
  bool ok = false;
  std::string error; // empty when ok
  // X (rows * cols, k): image j's pixels in row-major order (pixel (r, c) at row r * cols + c),
  // scaled from 0..255 to [0, 1] (p / 255, so 255 is exactly 1); labels (k); classes as asked.
  // D = rows * cols: 784 for 28 x 28, which is kMaxInputDim, the widest input a network takes.
  Dataset data;
  int rows = 0;   // image height in pixels
  int cols = 0;   // image width in pixels
  int total = 0;  // images in the file, of which the first k = data.size() were read
};

// Images: (n, rows, cols) unsigned bytes; labels: (n) unsigned bytes, each below classes
// (2..256). Keeps the first max_count images (all when negative), at most kMaxDatasetPoints.
//
// Why max_count: X is doubles, 8 bytes a pixel, so all 60,000 Fashion-MNIST training images take
// 60,000 x 784 x 8 = 376 MB (too much for a browser tab); only the selected images are converted,
// straight from the input bytes. Counts and every label are checked over the whole files, so a
// mismatched pair (training images with test labels) is refused whatever max_count says.
IdxDatasetResult read_idx_dataset(const std::uint8_t* images, std::size_t images_size,
                                  const std::uint8_t* labels, std::size_t labels_size,
                                  int max_count = -1, int classes = 10);
// The same from two uncompressed files; errors start with the path of the file at fault.
IdxDatasetResult read_idx_dataset_files(const std::string& images_path,
                                        const std::string& labels_path, int max_count = -1,
                                        int classes = 10);

} // namespace splinescope
