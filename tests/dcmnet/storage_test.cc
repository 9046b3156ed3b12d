// SPDX-License-Identifier: BSD-3-Clause
// Use cases 3 and 4: a file goes out as its encoded bytes (transcoded only when the negotiated
// syntax differs) and comes in straight to a temporary file that is renamed when complete.
#include "dcmkit/dcmnet/storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmnet/server.h"
#include "memory_transport.h"

namespace dcmkit::dcmnet {
namespace {

namespace fs = std::filesystem;
using dcmdata::DataSet;
using dcmdata::Tag;
using dcmdata::VR;
using ofstd::ErrorCode;
using testing::Faults;
using testing::memory_pipe;

constexpr const char* kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr std::string_view kImplicit = dcmdata::ts_uids::kImplicitVRLittleEndian;
constexpr std::string_view kExplicit = dcmdata::ts_uids::kExplicitVRLittleEndian;
constexpr std::string_view kDeflated = dcmdata::ts_uids::kDeflatedExplicitVRLittleEndian;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "dcmnet-storage-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

DataSet ct_image(std::string_view instance, std::size_t pixel_bytes) {
  DataSet data;
  EXPECT_TRUE(data.set_string(dcmdata::tags::SOPClassUID, VR::UI, kCt));
  EXPECT_TRUE(data.set_string(dcmdata::tags::SOPInstanceUID, VR::UI, instance));
  EXPECT_TRUE(data.set_string(dcmdata::tags::PatientName, VR::PN, "Doe^Jane"));
  EXPECT_TRUE(data.set_string(dcmdata::tags::StudyInstanceUID, VR::UI, "1.2.3.4"));
  DataSet item;
  EXPECT_TRUE(item.set_string(dcmdata::tags::CodeValue, VR::SH, "121071"));
  data.insert(dcmdata::Element::sequence(dcmdata::tags::ReferencedImageSequence, {item}));
  std::vector<std::byte> pixels(pixel_bytes);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::byte>(i * 7);
  EXPECT_TRUE(data.set_bytes(dcmdata::tags::PixelData, VR::OW,
                             dcmdata::SharedBytes::from_vector(std::move(pixels))));
  return data;
}

fs::path write_ct(const fs::path& dir, std::string_view instance, std::string_view ts_uid,
                  std::size_t pixel_bytes = 300'000) {
  const DataSet data = ct_image(instance, pixel_bytes);
  const auto meta = dcmdata::make_file_meta(data, ts_uid);
  EXPECT_TRUE(meta);
  const fs::path path = dir / (std::string(instance) + ".dcm");
  const auto* ts = dcmdata::TransferSyntax::lookup(ts_uid);
  EXPECT_TRUE(dcmdata::write_file(path, *meta, data, *ts));
  return path;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// An SCP that stores into `dir` as "<instance>.dcm" and answers each C-STORE.
std::future<ofstd::Status> store_scp(std::unique_ptr<Transport> transport, AcceptorPolicy policy,
                                     fs::path dir) {
  return std::async(
      std::launch::async, [t = std::move(transport), policy, dir]() mutable -> ofstd::Status {
        DCMKIT_ASSIGN_OR_RETURN(PendingAssociation pending,
                                Association::receive_request(std::move(t), {}));
        DCMKIT_ASSIGN_OR_RETURN(auto answered, std::move(pending).answer(policy));
        Association& a = std::get<Association>(answered);
        for (;;) {
          DCMKIT_ASSIGN_OR_RETURN(const Incoming in, a.receive_command());
          if (in.kind == Incoming::Kind::ReleaseRequested) return a.acknowledge_release();
          ReceiveOptions options;
          options.directory = dir;
          options.source_ae = "SCU";
          auto received = receive_to_file(a, in, options);
          std::uint16_t code = status::kSuccess;
          if (!received) {
            if (received.error().code() != ErrorCode::IoError) return std::move(received).error();
            code = status::kOutOfResources;
          } else {
            auto stored = received->commit(dir / (in.command.affected_sop_instance_uid + ".dcm"));
            if (!stored || !*stored) code = status::kOutOfResources;
          }
          DCMKIT_TRY(a.send_command(in.context_id, make_c_store_rsp(in.command, code)));
        }
      });
}

AcceptorPolicy ct_policy(std::vector<std::string> syntaxes) {
  AcceptorPolicy policy;
  policy.abstract_syntaxes.push_back({kCt, std::move(syntaxes)});
  return policy;
}

AssociateRq ct_request(std::vector<std::string> syntaxes) {
  AssociateRq rq;
  rq.called_ae = "SCP";
  rq.calling_ae = "SCU";
  rq.contexts.push_back({1, kCt, std::move(syntaxes)});
  return rq;
}

Association associate(std::unique_ptr<Transport> transport, AssociateRq rq) {
  auto outcome = Association::request(std::move(transport), std::move(rq), {});
  EXPECT_TRUE(outcome) << outcome.error().to_string();
  return std::get<Association>(std::move(*outcome));
}

TEST(StorageTest, FileIsSentAsItsBytesAndStoredIdentically) {
  TempDir in_dir;
  TempDir out_dir;
  const fs::path source = write_ct(in_dir.path(), "1.2.3.100", kExplicit);
  auto [client, server] = memory_pipe(Faults{}, Faults{1000});
  auto done = store_scp(std::move(server), ct_policy({std::string(kExplicit)}), out_dir.path());
  Association association = associate(std::move(client), ct_request({std::string(kExplicit)}));
  // Header-only read: the data set bytes go out from the mapped file without being parsed.
  dcmdata::ReadOptions header_only;
  header_only.stop_after = dcmdata::tags::SOPInstanceUID;
  const auto file = dcmdata::read_file(source, header_only);
  ASSERT_TRUE(file) << file.error().to_string();
  const auto sent = store_file(association, *file, 1);
  ASSERT_TRUE(sent) << sent.error().to_string();
  EXPECT_FALSE(sent->transcoded);
  EXPECT_EQ(sent->response.status, status::kSuccess);
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());

  const auto files = files_in(out_dir.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename(), "1.2.3.100.dcm");
  const auto stored = dcmdata::read_file(files[0]);
  ASSERT_TRUE(stored) << stored.error().to_string();
  const auto original = dcmdata::read_file(source);
  EXPECT_EQ(stored->data, original->data);
  // Byte for byte: the data set part of both files is the same.
  const auto a = original->encoded_data_set();
  const auto b = stored->encoded_data_set();
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  EXPECT_EQ(stored->meta.get_string(Tag{0x0002, 0x0016}).value(), "SCU");
  EXPECT_EQ(stored->meta.get_string(Tag{0x0002, 0x0003}).value(), "1.2.3.100");
}

TEST(StorageTest, FileIsTranscodedWhenTheNegotiatedSyntaxDiffers) {
  TempDir in_dir;
  TempDir out_dir;
  const fs::path source = write_ct(in_dir.path(), "1.2.3.101", kExplicit);
  auto [client, server] = memory_pipe();
  auto done = store_scp(std::move(server), ct_policy({std::string(kImplicit)}), out_dir.path());
  Association association = associate(std::move(client), ct_request({std::string(kImplicit)}));
  dcmdata::ReadOptions header_only;
  header_only.stop_after = dcmdata::tags::SOPInstanceUID;
  const auto file = dcmdata::read_file(source, header_only);
  ASSERT_TRUE(file);
  const auto sent = store_file(association, *file, 1);
  ASSERT_TRUE(sent) << sent.error().to_string();
  EXPECT_TRUE(sent->transcoded);
  EXPECT_EQ(sent->transfer_syntax, kImplicit);
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());
  const auto stored = dcmdata::read_file(out_dir.path() / "1.2.3.101.dcm");
  ASSERT_TRUE(stored) << stored.error().to_string();
  EXPECT_EQ(stored->transfer_syntax.uid(), kImplicit);
  EXPECT_EQ(stored->data, dcmdata::read_file(source)->data);
}

TEST(StorageTest, DeflatedFileTravelsDeflated) {
  TempDir in_dir;
  TempDir out_dir;
  const fs::path source = write_ct(in_dir.path(), "1.2.3.102", kDeflated, 10'000);
  auto [client, server] = memory_pipe();
  auto done = store_scp(std::move(server), ct_policy({std::string(kDeflated)}), out_dir.path());
  Association association = associate(std::move(client), ct_request({std::string(kDeflated)}));
  const auto file = dcmdata::read_file(source);
  ASSERT_TRUE(file);
  const auto sent = store_file(association, *file, 1);
  ASSERT_TRUE(sent) << sent.error().to_string();
  EXPECT_FALSE(sent->transcoded);
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());
  const auto stored = dcmdata::read_file(out_dir.path() / "1.2.3.102.dcm");
  ASSERT_TRUE(stored) << stored.error().to_string();
  EXPECT_EQ(stored->data, file->data);
}

TEST(StorageTest, NoFittingContextIsNotFound) {
  TempDir in_dir;
  TempDir out_dir;
  const fs::path source = write_ct(in_dir.path(), "1.2.3.103", kExplicit);
  auto [client, server] = memory_pipe();
  AcceptorPolicy policy;
  policy.abstract_syntaxes.push_back({"1.2.840.10008.1.1", {std::string(kImplicit)}});
  auto done = store_scp(std::move(server), policy, out_dir.path());
  AssociateRq rq = ct_request({std::string(kExplicit)});
  rq.contexts.push_back({3, "1.2.840.10008.1.1", {std::string(kImplicit)}});
  Association association = associate(std::move(client), rq);
  const auto sent = store_file(association, *dcmdata::read_file(source), 1);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::NotFound);
  EXPECT_NE(sent.error().message().find("CT Image Storage"), std::string::npos);
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());
}

TEST(StorageTest, UnwritableDirectoryGivesFailureStatusAndKeepsTheAssociation) {
  TempDir in_dir;
  const fs::path source = write_ct(in_dir.path(), "1.2.3.104", kExplicit);
  auto [client, server] = memory_pipe();
  auto done = store_scp(std::move(server), ct_policy({std::string(kExplicit)}),
                        in_dir.path() / "does-not-exist");
  Association association = associate(std::move(client), ct_request({std::string(kExplicit)}));
  const auto file = dcmdata::read_file(source);
  for (std::uint16_t id = 1; id <= 2; ++id) {
    const auto sent = store_file(association, *file, id);
    ASSERT_TRUE(sent) << sent.error().to_string();
    EXPECT_EQ(sent->response.status, status::kOutOfResources);
  }
  ASSERT_TRUE(association.release());
  ASSERT_TRUE(done.get());
}

TEST(StorageTest, AbortedTransferLeavesNoFile) {
  TempDir in_dir;
  TempDir out_dir;
  const fs::path source = write_ct(in_dir.path(), "1.2.3.105", kExplicit, 2'000'000);
  auto [client, server] = memory_pipe();
  auto done = store_scp(std::move(server), ct_policy({std::string(kExplicit)}), out_dir.path());
  Association association = associate(std::move(client), ct_request({std::string(kExplicit)}));
  const auto file = dcmdata::read_file(source);
  ASSERT_TRUE(association.send_command(1, make_c_store_rq(1, kCt, "1.2.3.105")));
  // Part of the data set goes out (no PDV marked last), then the sender gives up and aborts.
  const auto partial = association.send_data_set(1, [&](dcmdata::ByteSink& sink) -> ofstd::Status {
    DCMKIT_TRY(sink.write(file->encoded_data_set().first(100'000)));
    return ofstd::Error(ErrorCode::IoError, "simulated read failure");
  });
  EXPECT_FALSE(partial);
  association.abort();
  EXPECT_FALSE(done.get());
  const auto left = files_in(out_dir.path());
  EXPECT_TRUE(left.empty()) << left.front();
}

TEST(StorageTest, CommitNeverReplacesAFile) {
  TempDir dir;
  const fs::path temp = dir.path() / ".x.part";
  std::ofstream(temp) << "new";
  std::ofstream(dir.path() / "taken") << "old";
  ReceivedFile received(temp, std::string(kExplicit), 3);
  const auto first = received.commit(dir.path() / "taken");
  ASSERT_TRUE(first);
  EXPECT_FALSE(*first);
  std::string content;
  std::ifstream(dir.path() / "taken") >> content;
  EXPECT_EQ(content, "old");
  const auto second = received.commit(dir.path() / "free");
  ASSERT_TRUE(second);
  EXPECT_TRUE(*second);
  EXPECT_FALSE(fs::exists(temp));
}

TEST(StorageTest, UncommittedFileIsRemoved) {
  TempDir dir;
  const fs::path temp = dir.path() / ".y.part";
  std::ofstream(temp) << "partial";
  { ReceivedFile received(temp, std::string(kExplicit), 7); }
  EXPECT_FALSE(fs::exists(temp));
}

TEST(StorageTest, ConvertRewritesInAnotherSyntax) {
  TempDir dir;
  const fs::path source = write_ct(dir.path(), "1.2.3.106", kExplicit, 1000);
  const fs::path temp = dir.path() / ".z.part";
  fs::copy_file(source, temp);
  ReceivedFile received(temp, std::string(kExplicit), 0);
  ASSERT_TRUE(received.convert(dcmdata::explicit_vr_big_endian(), {}, true));
  const auto file = received.read({});
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->transfer_syntax.is_big_endian());
  EXPECT_EQ(file->data, dcmdata::read_file(source)->data);
}

TEST(StorageTest, TranscodingRules) {
  using dcmdata::TransferSyntax;
  const auto& explicit_le = dcmdata::explicit_vr_little_endian();
  const auto jpeg = TransferSyntax::lookup_or_unknown("1.2.840.10008.1.2.4.70");
  EXPECT_TRUE(can_transcode(explicit_le, dcmdata::implicit_vr_little_endian()));
  EXPECT_TRUE(can_transcode(explicit_le, dcmdata::deflated_explicit_vr_little_endian()));
  EXPECT_TRUE(can_transcode(jpeg, jpeg));
  EXPECT_FALSE(can_transcode(jpeg, explicit_le));
  EXPECT_FALSE(can_transcode(explicit_le, jpeg));
}

}  // namespace
}  // namespace dcmkit::dcmnet
