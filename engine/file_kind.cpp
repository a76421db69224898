// file_kind.cpp - see file_kind.h.
#include "file_kind.h"

#include "serialize.h"

#include <algorithm>
#include <cctype>

namespace splinescope {

const char* to_string(FileKind kind) {
  switch (kind) {
  case FileKind::network:
    return "network";
  case FileKind::session:
    return "session";
  case FileKind::points_csv:
    return "points_csv";
  case FileKind::points_table:
    return "points_table";
  case FileKind::other_json:
    return "other_json";
  case FileKind::empty:
    return "empty";
  }
  return "?";
}

namespace {

bool ends_with_ci(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

// The first line with content, without comments, spaces and case.
std::string first_content_line(const std::string& text) {
  std::size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    line.erase(std::min(line.find('#'), line.size()));
    std::string squeezed;
    for (char c : line)
      if (!std::isspace(static_cast<unsigned char>(c)))
        squeezed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!squeezed.empty()) return squeezed;
  }
  return "";
}

} // namespace

FileKind detect_file_kind(const std::string& name, const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string::npos) return FileKind::empty;
  const bool json_text = text[first] == '{' || text[first] == '[' ||
                         (text.compare(0, 3, "\xEF\xBB\xBF") == 0 && first == 0 &&
                          text.size() > 3 && (text[3] == '{' || text[3] == '['));
  if (json_text || ends_with_ci(name, ".json")) {
    const std::string format = document_format(text);
    if (format == kNetworkFormat) return FileKind::network;
    if (format == kSessionFormat) return FileKind::session;
    return FileKind::other_json;
  }
  const std::string header = first_content_line(text);
  std::size_t commas = 0, third = std::string::npos, fourth = std::string::npos;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == ',') {
      ++commas;
      if (commas == 2) third = i + 1;
      if (commas == 3) fourth = i + 1;
    }
  // "split" after x,y,VALUE (the plane) or x,VALUE (the line).
  const auto split_at = [&](std::size_t at) {
    return at != std::string::npos && header.compare(at, 5, "split") == 0;
  };
  if (split_at(fourth) || split_at(third)) return FileKind::points_table;
  return FileKind::points_csv;
}

} // namespace splinescope
