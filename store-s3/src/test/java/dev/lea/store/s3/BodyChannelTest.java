package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A response body handed on in chunks of up to 256 KiB, however little each socket read gives. */
class BodyChannelTest {

  /** A body that gives at most 8 KiB per read, as a socket's buffer does. */
  private static InputStream trickling(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        return super.read(buffer, offset, Math.min(length, 8192));
      }
    };
  }

  @Test
  void fillsADirectBufferAChunkAtATimeAndEndsWithTheBody() throws IOException {
    byte[] bytes = new byte[BodyChannel.CHUNK + 1000];
    new Random(5).nextBytes(bytes);
    ByteBuffer target = ByteBuffer.allocateDirect(1 << 20);
    try (BodyChannel channel = new BodyChannel(trickling(bytes))) {
      assertThat(channel.read(target)).isEqualTo(BodyChannel.CHUNK);
      assertThat(channel.read(target)).isEqualTo(1000);
      assertThat(channel.read(target)).isEqualTo(-1);
    }
    byte[] read = new byte[bytes.length];
    target.flip().get(read);
    assertThat(read).isEqualTo(bytes);
  }

  @Test
  void readsIntoAHeapBufferInPlace() throws IOException {
    byte[] bytes = new byte[20_000];
    new Random(6).nextBytes(bytes);
    ByteBuffer target = ByteBuffer.allocate(30_000);
    target.position(10);
    try (BodyChannel channel = new BodyChannel(trickling(bytes))) {
      assertThat(channel.read(target)).isEqualTo(20_000);
      assertThat(channel.read(ByteBuffer.allocate(0))).isZero();
      assertThat(channel.read(target)).isEqualTo(-1);
    }
    assertThat(target.position()).isEqualTo(20_010);
    byte[] read = new byte[bytes.length];
    target.get(10, read);
    assertThat(read).isEqualTo(bytes);
  }

  @Test
  void aClosedChannelRefusesToRead() throws IOException {
    BodyChannel channel = new BodyChannel(trickling(new byte[10]));
    channel.close();

    assertThat(channel.isOpen()).isFalse();
    assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(4)))
        .isInstanceOf(ClosedChannelException.class);
  }
}
