printf '#!/bin/sh\necho shebang-run\n' > s
chmod +x s
./s
printf 'echo no-shebang $1\n' > t
chmod +x t
./t arg
