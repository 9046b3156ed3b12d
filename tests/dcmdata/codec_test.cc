// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/codec.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/writer.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;

const TransferSyntax& rle() { return *TransferSyntax::lookup(uids::RLELossless.str()); }

DataSet image(int rows, int columns, int samples, int bits, int frames, int planar = 0) {
  DataSet ds;
  EXPECT_TRUE(ds.set_uid(tags::SOPClassUID, uids::CTImageStorage));
  EXPECT_TRUE(ds.set_uid(tags::SOPInstanceUID, Uid("1.2.3.4")));
  EXPECT_TRUE(ds.set_int(tags::Rows, VR::US, rows));
  EXPECT_TRUE(ds.set_int(tags::Columns, VR::US, columns));
  EXPECT_TRUE(ds.set_int(tags::BitsAllocated, VR::US, bits));
  EXPECT_TRUE(ds.set_int(tags::BitsStored, VR::US, bits));
  EXPECT_TRUE(ds.set_int(tags::HighBit, VR::US, bits - 1));
  EXPECT_TRUE(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  EXPECT_TRUE(ds.set_int(tags::SamplesPerPixel, VR::US, samples));
  EXPECT_TRUE(ds.set_string(tags::PhotometricInterpretation, samples == 3 ? "RGB" : "MONOCHROME2"));
  if (samples > 1) {
    EXPECT_TRUE(ds.set_int(tags::PlanarConfiguration, VR::US, planar));
  }
  EXPECT_TRUE(ds.set_int(tags::NumberOfFrames, VR::IS, frames));
  std::vector<std::byte> pixels(
      static_cast<std::size_t>(rows * columns * samples * bits / 8 * frames));
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    pixels[i] = static_cast<std::byte>((i / 3) % 251);
  }
  EXPECT_TRUE(ds.set_bytes(tags::PixelData, bits > 8 ? VR::OW : VR::OB,
                           SharedBytes::from_vector(std::move(pixels))));
  return ds;
}

class CodecTest : public ::testing::Test {
 protected:
  void SetUp() override { register_rle_codec(registry_); }
  CodecRegistry registry_;
};

TEST_F(CodecTest, RegistryStartsEmptyAndFindsWhatWasRegistered) {
  CodecRegistry empty;
  EXPECT_TRUE(empty.transfer_syntaxes().empty());
  EXPECT_EQ(empty.decoder(uids::RLELossless.str()), nullptr);
  ASSERT_NE(registry_.decoder(uids::RLELossless.str()), nullptr);
  ASSERT_NE(registry_.encoder(uids::RLELossless.str()), nullptr);
  EXPECT_EQ(registry_.decoder(uids::RLELossless.str())->name(), "RLE Lossless");
  EXPECT_EQ(registry_.decoder(uids::JPEGBaseline8Bit.str()), nullptr);
  EXPECT_EQ(registry_.transfer_syntaxes(), std::vector<std::string>{"1.2.840.10008.1.2.5"});
  EXPECT_TRUE(registry_.remove(uids::RLELossless.str()));
  EXPECT_FALSE(registry_.remove(uids::RLELossless.str()));
  EXPECT_EQ(registry_.decoder(uids::RLELossless.str()), nullptr);
}

TEST_F(CodecTest, RegistryIsSafeToUseFromSeveralThreads) {
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t, &found] {
      for (int i = 0; i < 500; ++i) {
        if (t == 0) register_rle_codec(registry_);
        if (registry_.decoder(uids::RLELossless.str()) != nullptr) ++found;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(found.load(), 2000);
}

TEST_F(CodecTest, TranscodesToRleAndBackLosslessly) {
  struct Case {
    int rows, columns, samples, bits, frames, planar;
  };
  for (const Case c : {Case{5, 7, 1, 8, 1, 0}, Case{4, 4, 1, 16, 3, 0}, Case{3, 5, 3, 8, 2, 0},
                       Case{3, 5, 3, 8, 2, 1}, Case{2, 3, 1, 32, 2, 0}, Case{2, 2, 3, 16, 1, 1}}) {
    DataSet original = image(c.rows, c.columns, c.samples, c.bits, c.frames, c.planar);
    DataSet ds = original;
    auto encoded = transcode(ds, explicit_vr_little_endian(), rle(), {}, registry_);
    ASSERT_TRUE(encoded) << encoded.error().to_string();
    EXPECT_TRUE(encoded->changed_pixels);
    EXPECT_FALSE(encoded->new_instance);
    EXPECT_GT(encoded->compression_ratio, 0.0);
    const Element* pixels = ds.find(tags::PixelData);
    ASSERT_TRUE(pixels->is_encapsulated());
    ASSERT_EQ(pixels->fragments().size(), static_cast<std::size_t>(c.frames) + 1);
    EXPECT_EQ(pixels->fragments()[0].size(), static_cast<std::size_t>(c.frames) * 4);
    EXPECT_EQ(ds.get_string(tags::SOPInstanceUID).value_or(""), "1.2.3.4");

    auto decoded = transcode(ds, rle(), explicit_vr_little_endian(), {}, registry_);
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(ds.find(tags::PixelData)->vr(), VR::OW) << "as DCMTK writes decoded pixels";
    EXPECT_EQ(ds.find(tags::PixelData)->bytes(), original.find(tags::PixelData)->bytes());
  }
}

TEST_F(CodecTest, DecodesFramesInParallelInFrameOrder) {
  const DataSet original = image(9, 11, 3, 16, 13);
  DataSet encoded = original;
  ASSERT_TRUE(transcode(encoded, explicit_vr_little_endian(), rle(), {}, registry_));
  for (const std::uint32_t threads : {1U, 2U, 4U, 0U}) {
    DataSet ds = encoded;
    TranscodeOptions options;
    options.decode.threads = threads;
    auto decoded = transcode(ds, rle(), explicit_vr_little_endian(), options, registry_);
    ASSERT_TRUE(decoded) << decoded.error().to_string();
    EXPECT_EQ(ds.find(tags::PixelData)->bytes(), original.find(tags::PixelData)->bytes())
        << threads << " threads";
  }
  // A corrupt frame late in the image fails the whole image, naming the frame, whatever the
  // number of threads; the data set is left as it was.
  DataSet broken = encoded;
  {
    SharedBytes& fragment = broken.find(tags::PixelData)->fragments()[11];
    std::vector<std::byte> bytes(fragment.span().begin(), fragment.span().end());
    bytes[0] = std::byte{99};  // the RLE header's segment count, at most 15
    fragment = SharedBytes::from_vector(std::move(bytes));
  }
  for (const std::uint32_t threads : {1U, 3U}) {
    DataSet ds = broken;
    TranscodeOptions options;
    options.decode.threads = threads;
    auto bad = transcode(ds, rle(), explicit_vr_little_endian(), options, registry_);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().to_string().find("frame 11"), std::string::npos)
        << bad.error().to_string();
    EXPECT_EQ(ds, broken);
  }
}

TEST_F(CodecTest, DecodesSingleFramesThroughTheRegistry) {
  DataSet ds = image(4, 4, 1, 16, 3);
  const SharedBytes native = ds.find(tags::PixelData)->bytes();
  ASSERT_TRUE(transcode(ds, explicit_vr_little_endian(), rle(), {}, registry_));
  auto frames = FrameIndex::build(ds);
  ASSERT_TRUE(frames);
  auto frame = decode_frame(*frames, 2, rle(), {}, registry_);
  ASSERT_TRUE(frame) << frame.error().to_string();
  ASSERT_EQ(frame->pixels.size(), 32u);
  EXPECT_TRUE(std::equal(frame->pixels.begin(), frame->pixels.end(), native.data() + 64));
  EXPECT_EQ(frame->description.rows, 4u);
  auto missing = decode_frame(*frames, 0, rle(), {}, CodecRegistry());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::Unsupported);
}

TEST_F(CodecTest, DecodesNativeFramesToLittleEndianBytes) {
  DataSet ds = image(1, 2, 1, 16, 2);
  std::vector<std::byte> big = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4},
                                std::byte{5}, std::byte{6}, std::byte{7}, std::byte{8}};
  ds.insert(Element(tags::PixelData, VR::OW, SharedBytes::from_vector(big), ofstd::Endian::Big));
  auto frames = FrameIndex::build(ds);
  ASSERT_TRUE(frames);
  auto frame = decode_frame(*frames, 1, explicit_vr_big_endian(), {}, registry_);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->pixels,
            (std::vector<std::byte>{std::byte{6}, std::byte{5}, std::byte{8}, std::byte{7}}));

  DataSet bits = image(3, 3, 1, 1, 2);  // 9 bits per frame: frame 2 starts at bit 9
  bits.insert(
      Element(tags::PixelData, VR::OB,
              SharedBytes::from_vector({std::byte{0x00}, std::byte{0xFE}, std::byte{0x03}})));
  auto bit_frames = FrameIndex::build(bits);
  ASSERT_TRUE(bit_frames);
  auto second = decode_frame(*bit_frames, 1, explicit_vr_little_endian(), {}, registry_);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->pixels, (std::vector<std::byte>{std::byte{0xFF}, std::byte{0x01}}));
}

TEST_F(CodecTest, SplitsFramesIntoFragmentsAndCanLeaveTheOffsetTableEmpty) {
  DataSet ds = image(8, 64, 1, 8, 2);
  TranscodeOptions options;
  options.encode.max_fragment_size = 101;  // rounded down to 100
  options.encode.create_offset_table = false;
  ASSERT_TRUE(transcode(ds, explicit_vr_little_endian(), rle(), options, registry_));
  const Element* pixels = ds.find(tags::PixelData);
  EXPECT_TRUE(pixels->fragments()[0].empty());
  ASSERT_GT(pixels->fragments().size(), 3u);
  for (std::size_t i = 1; i < pixels->fragments().size(); ++i) {
    EXPECT_LE(pixels->fragments()[i].size(), 100u);
  }
  // Without an offset table the frames cannot be told apart, but with one they can.
  DataSet with_table = image(8, 64, 1, 8, 2);
  options.encode.create_offset_table = true;
  ASSERT_TRUE(transcode(with_table, explicit_vr_little_endian(), rle(), options, registry_));
  const SharedBytes native = image(8, 64, 1, 8, 2).find(tags::PixelData)->bytes();
  ASSERT_TRUE(transcode(with_table, rle(), explicit_vr_little_endian(), {}, registry_));
  EXPECT_EQ(with_table.find(tags::PixelData)->bytes(), native);
}

TEST_F(CodecTest, MakesANewInstanceAsDcmtkDoes) {
  DataSet ds = image(4, 4, 1, 8, 1);
  ASSERT_TRUE(ds.set_string(tags::DerivationDescription, VR::ST, "earlier"));
  TranscodeOptions options;
  options.new_instance = NewInstancePolicy::Always;
  auto report = transcode(ds, explicit_vr_little_endian(), rle(), options, registry_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->new_instance);
  const std::string uid = ds.get_string(tags::SOPInstanceUID).value_or("");
  EXPECT_NE(uid, "1.2.3.4");
  EXPECT_TRUE(Uid::parse(uid));
  const Element* source = ds.find(tags::SourceImageSequence);
  ASSERT_NE(source, nullptr);
  ASSERT_EQ(source->items().size(), 1u);
  const DataSet& item = source->items()[0];
  EXPECT_EQ(item.get_string(tags::ReferencedSOPInstanceUID).value_or(""), "1.2.3.4");
  EXPECT_EQ(item.get_string(tags::ReferencedSOPClassUID).value_or(""), uids::CTImageStorage.str());
  const Element* purpose = item.find(tags::PurposeOfReferenceCodeSequence);
  ASSERT_NE(purpose, nullptr);
  EXPECT_EQ(purpose->items()[0].get_string(tags::CodeValue).value_or(""), "121320");
  const std::string derivation = ds.get_string(tags::DerivationDescription).value_or("");
  EXPECT_EQ(derivation.rfind("Lossless RLE compression, compression ratio ", 0), 0u) << derivation;
  EXPECT_NE(derivation.find(" [earlier]"), std::string::npos) << derivation;
  EXPECT_FALSE(ds.contains(tags::LossyImageCompression)) << "RLE is lossless";

  // Decoding with a new instance refers to the predecessor without a purpose and leaves the
  // derivation alone.
  ASSERT_TRUE(transcode(ds, rle(), explicit_vr_little_endian(), options, registry_));
  EXPECT_EQ(ds.find(tags::SourceImageSequence)
                ->items()[0]
                .get_string(tags::ReferencedSOPInstanceUID)
                .value_or(""),
            uid);
  EXPECT_FALSE(ds.find(tags::SourceImageSequence)
                   ->items()[0]
                   .contains(tags::PurposeOfReferenceCodeSequence));
  EXPECT_EQ(ds.get_string(tags::DerivationDescription).value_or(""), derivation);
}

TEST_F(CodecTest, ConvertsToSecondaryCapture) {
  DataSet ds = image(2, 2, 1, 8, 1);
  TranscodeOptions options;
  options.convert_to_secondary_capture = true;
  ASSERT_TRUE(transcode(ds, explicit_vr_little_endian(), rle(), options, registry_));
  EXPECT_EQ(ds.get_string(tags::SOPClassUID).value_or(""),
            uids::SecondaryCaptureImageStorage.str());
  EXPECT_EQ(ds.get_string(tags::ConversionType).value_or(""), "WSD");
  EXPECT_TRUE(ds.contains(tags::PatientOrientation));
  EXPECT_NE(ds.get_string(tags::SOPInstanceUID).value_or(""), "1.2.3.4");
}

TEST_F(CodecTest, UpdatesTheFileMetaInformation) {
  DicomFile file;
  file.data = image(2, 2, 1, 8, 1);
  auto meta = make_file_meta(file.data, explicit_vr_little_endian().uid());
  ASSERT_TRUE(meta);
  file.meta = *meta;
  TranscodeOptions options;
  options.new_instance = NewInstancePolicy::Always;
  ASSERT_TRUE(transcode(file, rle(), options, registry_));
  EXPECT_EQ(file.transfer_syntax, rle());
  EXPECT_EQ(file.meta.get_string(tags::TransferSyntaxUID).value_or(""), "1.2.840.10008.1.2.5");
  EXPECT_EQ(file.meta.get_string(tags::MediaStorageSOPInstanceUID).value_or(""),
            file.data.get_string(tags::SOPInstanceUID).value_or("?"));
}

TEST_F(CodecTest, FailsCleanlyWithoutACodecOrWithBadData) {
  DataSet ds = image(2, 2, 1, 8, 1);
  const DataSet before = ds;
  auto missing = transcode(ds, explicit_vr_little_endian(), rle(), {}, CodecRegistry());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::Unsupported);
  EXPECT_EQ(ds, before);
  EXPECT_FALSE(can_transcode(explicit_vr_little_endian(), rle(), CodecRegistry()));
  EXPECT_TRUE(can_transcode(explicit_vr_little_endian(), rle(), registry_));
  EXPECT_TRUE(
      can_transcode(implicit_vr_little_endian(), explicit_vr_big_endian(), CodecRegistry()));

  DataSet broken = image(2, 2, 1, 8, 1);
  broken.insert(Element::encapsulated(tags::PixelData, VR::OB,
                                      {SharedBytes(), SharedBytes::copy_of("garbage!")}));
  const DataSet broken_before = broken;
  auto bad = transcode(broken, rle(), explicit_vr_little_endian(), {}, registry_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::MalformedData);
  EXPECT_NE(bad.error().to_string().find("frame 1"), std::string::npos) << bad.error().to_string();
  EXPECT_EQ(broken, broken_before);
}

TEST_F(CodecTest, ReencodesIconImagesWithTheImage) {
  DataSet ds = image(4, 4, 1, 8, 1);
  std::vector<DataSet> icons;
  icons.push_back(image(2, 2, 1, 8, 1));
  icons[0].erase(tags::SOPClassUID);
  icons[0].erase(tags::SOPInstanceUID);
  const SharedBytes icon_pixels = icons[0].find(tags::PixelData)->bytes();
  ds.insert(Element::sequence(tags::IconImageSequence, std::move(icons)));
  ASSERT_TRUE(transcode(ds, explicit_vr_little_endian(), rle(), {}, registry_));
  const DataSet& icon = ds.find(tags::IconImageSequence)->items()[0];
  EXPECT_TRUE(icon.find(tags::PixelData)->is_encapsulated());
  ASSERT_TRUE(transcode(ds, rle(), explicit_vr_little_endian(), {}, registry_));
  const DataSet& decoded = ds.find(tags::IconImageSequence)->items()[0];
  EXPECT_EQ(decoded.find(tags::PixelData)->bytes(), icon_pixels);
}

TEST_F(CodecTest, LeavesUncompressedConversionsToTheWriter) {
  DataSet ds = image(2, 2, 1, 16, 1);
  const DataSet before = ds;
  auto report = transcode(ds, explicit_vr_little_endian(), explicit_vr_big_endian(), {}, registry_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->changed_pixels);
  EXPECT_EQ(ds, before);
}

}  // namespace
}  // namespace dcmkit::dcmdata
