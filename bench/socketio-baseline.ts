// The baseline for bench/room.ts: a plain Socket.IO room broadcast, one emit per chat message.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const httpServer = createServer();
const io = new Server(httpServer, { transports: ['websocket'] });
let likes = 0;
io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room ?? 'room');
  void socket.join(room);
  socket.on('chat', (text: string) => io.to(room).emit('chat', { text }));
  socket.on('like', (n: number) => {
    likes += n;
  });
});
setInterval(() => io.emit('likes', likes), 1000).unref();
httpServer.listen(port, '127.0.0.1');
