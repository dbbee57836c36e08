/**
 * The one error type. Each code has one HTTP status and one message per language; nothing else
 * in the code base picks a status or writes a user-facing message.
 */
export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

type Entry = { status: number; 'zh-CN': string; en: string };

export const ERRORS = {
  // generic
  VALIDATION_FAILED: { status: 400, 'zh-CN': '请求参数有误', en: 'The request is invalid' },
  BODY_INVALID_JSON: { status: 400, 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大（上限 {limit} 字节）', en: 'The request body is too large (limit {limit} bytes)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型，请使用 application/json', en: 'Unsupported content type; use application/json' },
  NOT_FOUND: { status: 404, 'zh-CN': '找不到请求的资源', en: 'Not found' },
  RATE_LIMITED: { status: 429, 'zh-CN': '操作过于频繁，请 {retryAfter} 秒后再试', en: 'Too many requests; try again in {retryAfter} s' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal server error; please try again later' },
  UNAVAILABLE: { status: 503, 'zh-CN': '服务暂不可用', en: 'Service unavailable' },
  DATABASE_UNAVAILABLE: { status: 503, 'zh-CN': '数据库暂时无法访问，请稍后再试', en: 'The database is unavailable; please try again shortly' },
  CACHE_UNAVAILABLE: { status: 503, 'zh-CN': '缓存服务暂时无法访问，请稍后再试', en: 'The cache (Redis) is unavailable; please try again shortly' },
  // auth
  AUTH_REQUIRED: { status: 401, 'zh-CN': '请先登录', en: 'Please log in first' },
  AUTH_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '账号或密码错误', en: 'Wrong login or password' },
  AUTH_ACCOUNT_LOCKED: { status: 423, 'zh-CN': '密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试', en: 'Too many wrong passwords; the account is locked for {minutes} more minutes' },
  AUTH_LOGIN_TAKEN: { status: 409, 'zh-CN': '该手机号或邮箱已注册', en: 'This phone number or email is already registered' },
  AUTH_WRONG_PASSWORD: { status: 400, 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  CSRF_TOKEN_INVALID: { status: 403, 'zh-CN': '安全校验失败（CSRF 令牌缺失或无效），请刷新页面后重试', en: 'Security check failed (missing or invalid CSRF token); reload the page and try again' },
  CSRF_ORIGIN_MISMATCH: { status: 403, 'zh-CN': '拒绝来自其他站点的请求', en: 'Requests from another origin are refused' },
  FORBIDDEN: { status: 403, 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  // organisations
  ORG_NOT_FOUND: { status: 404, 'zh-CN': '机构不存在', en: 'Organisation not found' },
  ORG_WRONG_KIND: { status: 400, 'zh-CN': '该机构类型不支持此操作', en: 'This kind of organisation does not support this' },
  ORG_MEMBER_EXISTS: { status: 409, 'zh-CN': '该用户已是机构成员', en: 'This user is already a member' },
  ORG_LAST_OWNER: { status: 409, 'zh-CN': '不能移除机构的最后一位所有者', en: 'The last owner of an organisation cannot be removed' },
  USER_NOT_FOUND: { status: 404, 'zh-CN': '用户不存在', en: 'User not found' },
  // streamer identity
  STREAMER_UNDER_AGE: { status: 422, 'zh-CN': '主播须年满 16 周岁（当前 {age} 岁）', en: 'Streamers must be at least 16 (this ID gives age {age})' },
  STREAMER_GUARDIAN_CONSENT_REQUIRED: { status: 422, 'zh-CN': '16 至 17 周岁的主播须提供监护人同意', en: 'Streamers aged 16 or 17 need a guardian’s consent' },
  STREAMER_ID_NUMBER_TAKEN: { status: 409, 'zh-CN': '该身份证号已被其他账号认证', en: 'This ID number is already verified on another account' },
  STREAMER_ALREADY_APPROVED: { status: 409, 'zh-CN': '实名认证已通过，如需变更请联系平台运营', en: 'Your verification is already approved; contact the platform to change it' },
  STREAMER_PROFILE_NOT_FOUND: { status: 404, 'zh-CN': '主播资料不存在', en: 'Streamer profile not found' },
  STREAMER_NOT_APPROVED: { status: 403, 'zh-CN': '主播实名认证尚未通过审核', en: 'The streamer’s real-name verification is not approved' },
  REVIEW_ALREADY_DECIDED: { status: 409, 'zh-CN': '该申请已审核', en: 'This application has already been reviewed' },
  // catalogue
  PRODUCT_NOT_FOUND: { status: 404, 'zh-CN': '商品不存在', en: 'Product not found' },
  // search (docs/SEARCH.md)
  SEARCH_QUERY_EMPTY: { status: 400, 'zh-CN': '请输入要搜索的文字（不能只有空格或符号）', en: 'Enter something to search for (not only spaces or symbols)' },
  SEARCH_QUERY_TOO_LONG: { status: 400, 'zh-CN': '搜索内容最多 {max} 个字', en: 'Searches are at most {max} characters' },
  SKU_NOT_FOUND: { status: 404, 'zh-CN': '规格不存在', en: 'SKU not found' },
  // product pictures (docs/PICTURES.md)
  PICTURE_NO_FILE: { status: 400, 'zh-CN': '请选择要上传的图片', en: 'Choose at least one picture to upload' },
  PICTURE_NOT_IMAGE: { status: 415, 'zh-CN': '「{file}」不是可识别的图片，请上传 JPEG、PNG、WebP 或 GIF', en: '“{file}” is not a picture we can read; upload a JPEG, PNG, WebP or GIF' },
  PICTURE_TYPE_MISMATCH: { status: 415, 'zh-CN': '「{file}」的扩展名或类型与内容不符（实际为 {actual}）', en: 'The name or type of “{file}” does not match its content (it is a {actual})' },
  PICTURE_TOO_LARGE: { status: 413, 'zh-CN': '图片不能超过 {limit}', en: 'A picture must be at most {limit}' },
  PICTURE_TOO_MANY_PIXELS: { status: 422, 'zh-CN': '「{file}」尺寸过大（{width}×{height}），像素总数不能超过 {max}', en: '“{file}” is too big ({width}×{height}); at most {max} pixels' },
  PICTURE_TOO_MANY: { status: 409, 'zh-CN': '每个商品最多 {max} 张图片', en: 'A product has at most {max} pictures' },
  PICTURE_NOT_FOUND: { status: 404, 'zh-CN': '图片不存在', en: 'Picture not found' },
  PICTURE_ORDER_INVALID: { status: 400, 'zh-CN': '图片顺序须包含该商品当前的每一张图片，且各一次', en: 'The new order must list each of the product’s current pictures exactly once' },
  PICTURE_STORE_UNAVAILABLE: { status: 503, 'zh-CN': '图片存储暂时无法访问，请稍后再试', en: 'The picture store is unavailable; please try again shortly' },
  // live video
  LIVE_SESSION_NOT_FOUND: { status: 404, 'zh-CN': '直播场次不存在', en: 'Live session not found' },
  LIVE_NOT_STARTED: { status: 409, 'zh-CN': '直播尚未开始，请在开播后再来', en: 'This live has not started yet' },
  LIVE_ENDED: { status: 409, 'zh-CN': '直播已结束', en: 'This live has ended' },
  LIVE_NOT_EDITABLE: { status: 409, 'zh-CN': '只有未开播的场次可以修改', en: 'Only a session that has not started can be edited' },
  LIVE_NOT_LIVE: { status: 409, 'zh-CN': '该场次当前不在直播中', en: 'This session is not live' },
  LIVE_SCHEDULE_IN_PAST: { status: 422, 'zh-CN': '开播时间不能早于现在', en: 'The scheduled start cannot be in the past' },
  LIVE_BRAND_INVALID: { status: 422, 'zh-CN': '所选品牌不存在或未通过审核', en: 'The brand does not exist or is not approved' },
  REPLAY_NOT_AVAILABLE: { status: 404, 'zh-CN': '该场次暂无回放', en: 'No replay is available for this session' },
  PRODUCT_EXPLANATION_NOT_FOUND: { status: 404, 'zh-CN': '该商品暂无讲解回放', en: 'This product has no explanation in a replay yet' },
  COVER_NOT_IMAGE: { status: 415, 'zh-CN': '封面必须是 JPEG、PNG 或 WebP 图片', en: 'The cover must be a JPEG, PNG or WebP image' },
  COVER_TOO_LARGE: { status: 413, 'zh-CN': '封面图片不能超过 {limit}', en: 'The cover image must be at most {limit}' },
  MEDIA_HOOK_FORBIDDEN: { status: 403, 'zh-CN': '媒体回调令牌无效', en: 'Invalid media callback token' },
  METRICS_TOKEN_INVALID: { status: 401, 'zh-CN': '监控指标令牌缺失或无效（Authorization: Bearer <METRICS_TOKEN>）', en: 'Missing or invalid metrics token (Authorization: Bearer <METRICS_TOKEN>)' },
  WHIP_UNAVAILABLE: { status: 503, 'zh-CN': '浏览器开播需要 ffmpeg，本服务器未安装', en: 'Browser go-live needs ffmpeg, which this server does not have' },
  WHIP_OFFER_INVALID: { status: 400, 'zh-CN': 'SDP offer 无效：{reason}', en: 'Invalid SDP offer: {reason}' },
  // live room
  WS_BAD_FRAME: { status: 400, 'zh-CN': '无法识别的消息格式', en: 'Unrecognized frame' },
  WS_FRAME_TOO_LARGE: { status: 413, 'zh-CN': '消息过大（上限 4 KB）', en: 'Frame too large (limit 4 KB)' },
  WS_FLOOD: { status: 429, 'zh-CN': '发送过于频繁，连接将被断开', en: 'Too many frames; the connection will be closed' },
  WS_HELLO_TIMEOUT: { status: 408, 'zh-CN': '连接后未及时发送 hello，连接已关闭', en: 'No hello was sent in time; the connection is closed' },
  WS_TOO_MANY_SOCKETS: { status: 429, 'zh-CN': '来自同一地址的连接过多', en: 'Too many connections from this address' },
  WS_ORIGIN_FORBIDDEN: { status: 403, 'zh-CN': '不允许从其他站点连接直播间', en: 'Connections from another site are refused' },
  CHAT_EMPTY: { status: 400, 'zh-CN': '发言内容不能为空', en: 'The message is empty' },
  CHAT_TOO_LONG: { status: 400, 'zh-CN': '发言最多 {max} 个字', en: 'Messages are at most {max} characters' },
  CHAT_RATE_LIMITED: { status: 429, 'zh-CN': '发言太快了，请 {seconds} 秒后再试', en: 'Slow down: try again in {seconds} s' },
  CHAT_FOLLOWERS_ONLY: { status: 403, 'zh-CN': '当前仅关注主播的观众可以发言', en: 'Only followers of the streamer can chat now' },
  CHAT_MUTED: { status: 403, 'zh-CN': '你已被禁言，{minutes} 分钟后解除', en: 'You are muted for {minutes} more minutes' },
  CHAT_BANNED: { status: 403, 'zh-CN': '你已被移出该主播的直播间', en: 'You are banned from this streamer’s rooms' },
  CHAT_BLOCKED: { status: 422, 'zh-CN': '发言包含违规内容，未发送', en: 'The message contains prohibited content and was not sent' },
  CHAT_MESSAGE_NOT_FOUND: { status: 404, 'zh-CN': '消息不存在', en: 'Message not found' },
  PRODUCT_NOT_IN_ROOM: { status: 422, 'zh-CN': '该商品不在本场直播的商品列表中', en: 'This product is not in this live’s product list' },
  COUPON_ALREADY_CLAIMED: { status: 409, 'zh-CN': '你已经领过这张券了', en: 'You have already claimed this coupon' },
  COUPON_SOLD_OUT: { status: 409, 'zh-CN': '手慢了，券已被抢光', en: 'All coupons have been claimed' },
  COUPON_CLOSED: { status: 409, 'zh-CN': '领券时间已过', en: 'This coupon drop has ended' },
  COUPON_NOT_FOUND: { status: 404, 'zh-CN': '优惠券活动不存在', en: 'Coupon drop not found' },
  LUCKYBAG_NOT_FOUND: { status: 404, 'zh-CN': '福袋不存在', en: 'Lucky bag not found' },
  LUCKYBAG_ALREADY_DRAWN: { status: 409, 'zh-CN': '福袋已开奖', en: 'This lucky bag has been drawn' },
  LUCKYBAG_NOT_ELIGIBLE: { status: 403, 'zh-CN': '参与条件未满足：{condition}', en: 'You do not meet the condition: {condition}' },
  // the streamer's cockpit (docs/COCKPIT.md)
  COCKPIT_RIGHT_MISSING: { status: 403, 'zh-CN': '主播没有授予你这项权限（{right}）', en: 'The streamer has not given you this right ({right})' },
  COCKPIT_PRESET_INVALID: { status: 422, 'zh-CN': '预设内容无效（{kind}）', en: 'The preset is invalid ({kind})' },
  // live numbers (docs/ANALYTICS.md)
  ANALYTICS_FORBIDDEN: { status: 403, 'zh-CN': '你无权查看这场直播的数据', en: 'You may not see this live’s numbers' },
  ANALYTICS_NOT_ENDED: { status: 409, 'zh-CN': '直播结束后才能复盘和导出（当前状态：{status}）', en: 'A live can be reviewed and exported once it has ended (it is {status})' },
  COCKPIT_PRESET_NOT_FOUND: { status: 404, 'zh-CN': '预设不存在', en: 'Preset not found' },
  COCKPIT_PRESET_NOT_YOURS: { status: 403, 'zh-CN': '该预设属于其他主播，不能在本场直播中使用', en: 'This preset belongs to another streamer and cannot be used in this live' },
  COCKPIT_PRESET_LIMIT: { status: 409, 'zh-CN': '每位主播最多保存 {limit} 个预设', en: 'A streamer keeps at most {limit} presets' },
  COCKPIT_PRESET_NEEDS_PRODUCT: { status: 409, 'zh-CN': '秒杀预设未指定商品：请先把一件商品设为讲解中', en: 'This flash-sale preset names no product: pin a product first' },
  COCKPIT_ASSISTANT_NOT_FOUND: { status: 404, 'zh-CN': '该用户不是你的场控', en: 'This user is not one of your assistants' },
  // shopping
  PRODUCT_OFF_SALE: { status: 409, 'zh-CN': '商品已下架', en: 'This product is no longer on sale' },
  PRODUCT_NOT_IN_BRAND: { status: 422, 'zh-CN': '商品 {productId} 不属于本场直播的品牌或未上架', en: 'Product {productId} is not an on-sale product of this live’s brand' },
  ORDER_SKU_MISMATCH: { status: 422, 'zh-CN': '规格 {skuId} 不属于所选商品', en: 'SKU {skuId} does not belong to that product' },
  ORDER_DUPLICATE_SKU: { status: 422, 'zh-CN': '同一规格请合并为一行', en: 'List each SKU once' },
  ORDER_MIXED_BRANDS: { status: 422, 'zh-CN': '一个订单只能包含同一品牌的商品', en: 'One order may only hold one brand’s products' },
  ORDER_MIXED_KINDS: { status: 422, 'zh-CN': '券、批发、跨境等不同类型的商品请分开下单', en: 'Order vouchers, wholesale, cross-border and other kinds of product separately' },
  ORDER_TOO_LARGE: { status: 422, 'zh-CN': '订单金额超出上限', en: 'The order total is over the limit' },
  ORDER_CONFIRMATION_REQUIRED: { status: 422, 'zh-CN': '请确认：所选商品拆封或激活后不支持七天无理由退货', en: 'Please confirm that these items cannot be returned without reason once opened or activated' },
  ORDER_NOT_FOUND: { status: 404, 'zh-CN': '订单不存在', en: 'Order not found' },
  ORDER_ITEM_NOT_FOUND: { status: 404, 'zh-CN': '订单中没有该商品', en: 'That item is not in this order' },
  ORDER_ALREADY_PAID: { status: 409, 'zh-CN': '订单已支付，请勿重复付款', en: 'This order is already paid' },
  ORDER_NOT_PAYABLE: { status: 409, 'zh-CN': '订单已取消或已超时，不能再付款', en: 'This order was cancelled or timed out and can no longer be paid' },
  ORDER_STATE_CONFLICT: { status: 409, 'zh-CN': '订单当前状态（{status}）不允许此操作', en: 'Not possible while the order is {status}' },
  STOCK_INSUFFICIENT: { status: 409, 'zh-CN': '「{title}」库存不足', en: 'Not enough stock of “{title}”' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, 'zh-CN': 'Idempotency-Key 已用于另一笔不同的下单请求', en: 'This Idempotency-Key was already used for a different order request' },
  ADDRESS_REQUIRED: { status: 422, 'zh-CN': '请先填写收货地址', en: 'Add a delivery address first' },
  ADDRESS_NOT_FOUND: { status: 404, 'zh-CN': '收货地址不存在', en: 'Address not found' },
  ADDRESS_LIMIT: { status: 409, 'zh-CN': '最多保存 20 个收货地址', en: 'At most 20 addresses can be saved' },
  COUPON_NOT_YET_VALID: { status: 409, 'zh-CN': '优惠券尚未到使用时间', en: 'This coupon is not valid yet' },
  COUPON_EXPIRED: { status: 409, 'zh-CN': '优惠券已过期', en: 'This coupon has expired' },
  COUPON_OUT_OF_SCOPE: { status: 409, 'zh-CN': '该优惠券不适用于所选商品', en: 'This coupon does not apply to these items' },
  COUPON_THRESHOLD_NOT_MET: { status: 409, 'zh-CN': '未达到优惠券的使用门槛', en: 'The order does not reach this coupon’s threshold' },
  COUPON_ALREADY_USED: { status: 409, 'zh-CN': '优惠券已使用或已被其他订单占用', en: 'This coupon is already used or held by another order' },
  COUPON_LIMIT_REACHED: { status: 409, 'zh-CN': '每人限领 {limit} 张', en: 'At most {limit} per person' },
  PAYMENT_SIGNATURE_INVALID: { status: 400, 'zh-CN': '支付通知签名校验失败', en: 'The payment notification’s signature is invalid' },
  PAYMENT_MERCHANT_MISMATCH: { status: 400, 'zh-CN': '支付通知的商户号或应用号不符', en: 'The notification names another merchant or app' },
  PAYMENT_AMOUNT_MISMATCH: { status: 400, 'zh-CN': '支付通知的金额与订单不符', en: 'The notification’s amount does not match the order' },
  PAYMENT_UNKNOWN_ORDER: { status: 404, 'zh-CN': '支付通知对应的订单不存在', en: 'The notification names an unknown order' },
  PAYMENT_UNKNOWN_REFUND: { status: 409, 'zh-CN': '退款通知对应的退款尚未登记，请稍后重发', en: 'The refund in this notification is not recorded (yet); send it again later' },
  AFTERSALE_NOT_FOUND: { status: 404, 'zh-CN': '售后申请不存在', en: 'After-sales request not found' },
  AFTERSALE_STATE_CONFLICT: { status: 409, 'zh-CN': '售后申请当前状态不允许此操作', en: 'Not possible in the request’s current state' },
  AFTERSALE_KIND_INVALID: { status: 409, 'zh-CN': '订单状态为 {status}：仅退款限未发货订单，退货退款限已发货订单', en: 'The order is {status}: refund-only is for unshipped orders, return-and-refund for shipped ones' },
  AFTERSALE_PENDING: { status: 409, 'zh-CN': '买家已申请退款，请先处理售后', en: 'The buyer asked for a refund: decide on it first' },
  REFUND_EXCEEDS_PAID: { status: 422, 'zh-CN': '退款金额超过可退金额（最多 {max} 分）', en: 'The refund is more than can be refunded (at most {max} fen)' },
  RETURN_WINDOW_CLOSED: { status: 409, 'zh-CN': '已超过七天无理由退货期限（{deadline}）', en: 'The seven-day return window closed at {deadline}' },
  RETURN_NOT_ALLOWED: { status: 409, 'zh-CN': '「{title}」不支持七天无理由退货', en: '“{title}” cannot be returned without reason' },
  FLASH_NOT_FOUND: { status: 404, 'zh-CN': '秒杀活动不存在', en: 'Flash sale not found' },
  FLASH_NOT_STARTED: { status: 409, 'zh-CN': '秒杀尚未开始', en: 'The flash sale has not started' },
  FLASH_ENDED: { status: 409, 'zh-CN': '秒杀已结束', en: 'The flash sale has ended' },
  FLASH_SOLD_OUT: { status: 409, 'zh-CN': '已抢光', en: 'Sold out' },
  FLASH_ONLY_LEFT: { status: 409, 'zh-CN': '库存不足，仅剩 {remaining} 件', en: 'Only {remaining} left' },
  FLASH_LIMIT_EXCEEDED: { status: 409, 'zh-CN': '每人限购 {limit} 件', en: 'At most {limit} per person' },
  FLASH_BUSY: { status: 429, 'zh-CN': '排队中，抢购人数太多，请稍后重试', en: 'Queueing: too many buyers right now; try again in a moment' },
  // ledger
  COMMISSION_RATE_INVALID: { status: 422, 'zh-CN': '佣金比例须在 0 至 90% 之间（0–9000 基点）', en: 'The commission rate must be between 0 and 90 % (0–9000 basis points)' },
  LEDGER_NOT_DUE: { status: 409, 'zh-CN': '该订单尚未到结算时间（{settleAfter} 之后可结算）', en: 'This order is not due for settlement yet (due after {settleAfter})' },
  LEDGER_ORDER_NOT_FOUND: { status: 404, 'zh-CN': '账本中没有该订单', en: 'The ledger has no such order' },
  LEDGER_ALREADY_SETTLED: { status: 409, 'zh-CN': '该订单已结算', en: 'This order is already settled' },
  LEDGER_INSUFFICIENT_BALANCE: { status: 422, 'zh-CN': '可提现余额不足（当前 {balanceFen} 分）', en: 'Not enough balance to withdraw (balance {balanceFen} fen)' },
  LEDGER_PERIOD_INVALID: { status: 400, 'zh-CN': '查询时间段无效：from 须早于 to，且为 ISO-8601 时间', en: 'Invalid period: from must be before to, both ISO-8601 times' },
  LEDGER_ACCOUNT_NOT_FOUND: { status: 404, 'zh-CN': '账户不存在', en: 'No such ledger account' },
  WITHDRAWAL_NOT_FOUND: { status: 404, 'zh-CN': '提现申请不存在', en: 'Withdrawal not found' },
  WITHDRAWAL_STATE_CONFLICT: { status: 409, 'zh-CN': '提现申请状态已变化（当前：{status}）', en: 'The withdrawal has moved on (now {status})' },
  WITHDRAWAL_PAYOUT_FAILED: { status: 502, 'zh-CN': '打款失败，请稍后重试', en: 'The payout failed; try again later' },
  FLASH_STOCK_EXCEEDS: { status: 409, 'zh-CN': '秒杀库存超过该规格的现有库存', en: 'The flash stock is more than the SKU has' },
  // cooperation: the product-selection square, samples, slot fees (docs/COOPERATION.md)
  OFFER_NOT_FOUND: { status: 404, 'zh-CN': '选品广场中没有该商品的合作招募', en: 'No such offer in the product-selection square' },
  OFFER_ALREADY_LISTED: { status: 409, 'zh-CN': '该商品已在选品广场发布，请修改原招募', en: 'This product is already offered; edit that offer instead' },
  OFFER_PAUSED: { status: 409, 'zh-CN': '该合作招募已暂停', en: 'This offer is paused' },
  OFFER_NOT_APPROVED: { status: 403, 'zh-CN': '商品 {productId} 属于其他品牌，须先通过该品牌的带货申请', en: 'Product {productId} belongs to another brand: its brand must approve your application first' },
  LIVE_PRICE_BELOW_FLOOR: { status: 422, 'zh-CN': '直播价 {priceFen} 分低于品牌设定的最低价 {floorFen} 分', en: 'The live price {priceFen} fen is below the brand’s floor of {floorFen} fen' },
  APPLICATION_NOT_FOUND: { status: 404, 'zh-CN': '带货申请不存在', en: 'Application not found' },
  APPLICATION_ALREADY_APPROVED: { status: 409, 'zh-CN': '该商品的带货申请已通过，无需重复申请', en: 'An application for this product is already approved' },
  APPLICATION_PENDING: { status: 409, 'zh-CN': '该商品已有待审核的带货申请', en: 'An application for this product is already waiting for the brand' },
  APPLICATION_STATE_CONFLICT: { status: 409, 'zh-CN': '带货申请当前状态（{status}）不允许此操作', en: 'Not possible while the application is {status}' },
  REQUIREMENT_FOLLOWERS: { status: 422, 'zh-CN': '该商品要求主播粉丝数不少于 {min}（当前 {count}）', en: 'This offer asks for at least {min} followers (the streamer has {count})' },
  REQUIREMENT_CATEGORIES: { status: 422, 'zh-CN': '该商品要求主播带货过以下品类之一：{categories}（主播已带货品类：{streamerCategories}）', en: 'This offer asks for a streamer who has sold one of: {categories} (the streamer has sold: {streamerCategories})' },
  MCN_NOT_STREAMERS_AGENT: { status: 403, 'zh-CN': '该主播未签约本机构，不能代其操作', en: 'This streamer is not signed to this MCN, which cannot act for them' },
  SAMPLES_UNAVAILABLE: { status: 409, 'zh-CN': '该商品不提供样品', en: 'This offer has no samples' },
  SAMPLE_LIMIT_REACHED: { status: 409, 'zh-CN': '每位主播最多申请 {limit} 份样品', en: 'At most {limit} samples per streamer' },
  SAMPLE_NOT_FOUND: { status: 404, 'zh-CN': '寄样申请不存在', en: 'Sample request not found' },
  SAMPLE_STATE_CONFLICT: { status: 409, 'zh-CN': '寄样当前状态（{status}）不允许此操作', en: 'Not possible while the sample is {status}' },
  SLOT_FEE_NOT_FOUND: { status: 404, 'zh-CN': '坑位费约定不存在', en: 'Slot fee not found' },
  SLOT_FEE_EXISTS: { status: 409, 'zh-CN': '该场次的该商品已有坑位费约定', en: 'This product already has a slot fee in this session' },
  SLOT_FEE_STATE_CONFLICT: { status: 409, 'zh-CN': '坑位费约定当前状态（{status}）不允许此操作', en: 'Not possible while the slot fee is {status}' },
  SLOT_FEE_NOT_DUE: { status: 409, 'zh-CN': '直播结束后才能结算坑位费', en: 'A slot fee settles after its live has ended' },
  // MCN contracts and rights (docs/MCN.md)
  CONTRACT_NOT_FOUND: { status: 404, 'zh-CN': '合约不存在', en: 'Contract not found' },
  CONTRACT_STATE_CONFLICT: { status: 409, 'zh-CN': '合约当前状态（{status}）不允许此操作', en: 'Not possible while the contract is {status}' },
  CONTRACT_DATES_INVALID: { status: 422, 'zh-CN': '合约日期无效：{reason}', en: 'Invalid contract dates: {reason}' },
  SPLIT_INVALID: { status: 422, 'zh-CN': '分成比例须在 0 至 100% 之间（0–10000 基点）', en: 'The split must be between 0 and 100 % (0–10000 basis points)' },
  CONTRACT_RIGHT_INVALID: { status: 422, 'zh-CN': '不能授予机构「{right}」权限（提现只属于主播本人）', en: 'The right “{right}” cannot be granted to an MCN (withdrawals stay with the streamer)' },
  CONTRACT_OVERLAP_EXCLUSIVE: { status: 409, 'zh-CN': '该主播在此期间已有独家合约，或本合约为独家而该主播已有其他合约', en: 'The streamer has an exclusive contract in this period, or this exclusive contract overlaps another one' },
  CONTRACT_OVERLAP: { status: 409, 'zh-CN': '该主播与本机构在此期间已有合约，请续约或调整日期', en: 'The streamer already has a contract with this MCN in this period: renew it or change the dates' },
  CONTRACT_NOT_ACCEPTED: { status: 403, 'zh-CN': '主播尚未接受该合约，机构不能据此代其操作', en: 'The streamer has not accepted the contract, so the MCN cannot act under it' },
  CONTRACT_NOT_IN_FORCE: { status: 403, 'zh-CN': '与该主播的合约尚未生效或已结束', en: 'The contract with this streamer is not in force' },
  MCN_RIGHT_NOT_GRANTED: { status: 403, 'zh-CN': '主播未授予机构「{rightZh}」权限', en: 'The streamer has not granted the MCN the right “{rightEn}”' },
  CALENDAR_PERIOD_INVALID: { status: 400, 'zh-CN': '查询时间段无效：from 须早于 to，且不超过 {maxDays} 天', en: 'Invalid period: from must be before to, at most {maxDays} days apart' },
  // open platform: API keys and webhooks (docs/WEBHOOKS.md)
  APIKEY_INVALID: { status: 401, 'zh-CN': 'API 密钥无效（缺失、格式错误或不存在），请在请求头中使用 Authorization: Bearer <密钥>', en: 'Invalid API key (missing, malformed or unknown); send Authorization: Bearer <key>' },
  APIKEY_REVOKED: { status: 401, 'zh-CN': '该 API 密钥已被吊销', en: 'This API key has been revoked' },
  APIKEY_SCOPE_MISSING: { status: 403, 'zh-CN': '该 API 密钥没有「{scope}」权限', en: 'This API key lacks the scope “{scope}”' },
  APIKEY_NOT_FOUND: { status: 404, 'zh-CN': 'API 密钥不存在', en: 'API key not found' },
  OPEN_SESSION_FORBIDDEN: { status: 403, 'zh-CN': '该 API 密钥所属机构无权读取这场直播的事件（须为本品牌的直播、签约主播的直播或在售本机构商品的直播）', en: 'This API key’s organisation may not read this live’s events (only its own brand’s lives, lives of streamers signed to it, or lives selling its products)' },
  OPEN_WS_UPGRADE_REQUIRED: { status: 426, 'zh-CN': '这是 WebSocket 接口，请以 WebSocket 方式连接', en: 'This is a WebSocket endpoint: connect with a WebSocket upgrade' },
  OPEN_WS_TOO_MANY: { status: 429, 'zh-CN': '该 API 密钥同时打开的事件连接过多（上限 {max} 个）', en: 'Too many open event sockets for this API key (limit {max})' },
  WEBHOOK_NOT_FOUND: { status: 404, 'zh-CN': 'Webhook 地址不存在', en: 'Webhook endpoint not found' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, 'zh-CN': '推送记录不存在', en: 'Webhook delivery not found' },
  WEBHOOK_URL_INVALID: { status: 422, 'zh-CN': 'Webhook 地址须为 http:// 或 https:// 开头的有效网址', en: 'The webhook URL must be a valid http:// or https:// URL' },
  WEBHOOK_URL_SELF: { status: 422, 'zh-CN': 'Webhook 地址不能指向本平台自身', en: 'The webhook URL must not point at this server itself' },
  WEBHOOK_URL_PRIVATE: { status: 422, 'zh-CN': 'Webhook 地址不能指向本机或内网地址', en: 'The webhook URL must not point at a loopback or private address' },
  // live-streaming bases: studios, bookings, tenants, reports (docs/BASES.md)
  BASE_NOT_FOUND: { status: 404, 'zh-CN': '直播基地不存在', en: 'Live-streaming base not found' },
  STUDIO_NOT_FOUND: { status: 404, 'zh-CN': '直播间不存在', en: 'Studio not found' },
  BOOKING_NOT_FOUND: { status: 404, 'zh-CN': '预订不存在', en: 'Booking not found' },
  BOOKING_CONFLICT: { status: 409, 'zh-CN': '该直播间在此时段已被预订', en: 'The studio is already booked at that time' },
  BOOKING_IN_PAST: { status: 422, 'zh-CN': '不能预订已经过去的时段', en: 'A booking cannot start in the past' },
  BOOKING_TIMES_INVALID: { status: 422, 'zh-CN': '结束时间须晚于开始时间，且单次预订不超过 {maxHours} 小时', en: 'The end must be after the start, and a booking is at most {maxHours} hours' },
  BOOKING_OUTSIDE_HOURS: { status: 422, 'zh-CN': '预订须在基地营业时间内（北京时间 {opens}–{closes}，同一天）', en: 'A booking must be within the base’s opening hours ({opens}–{closes} Beijing time, on one day)' },
  BOOKING_DURING_MAINTENANCE: { status: 409, 'zh-CN': '该直播间此时段在维护中', en: 'The studio is under maintenance at that time' },
  BOOKING_NOT_YOURS: { status: 403, 'zh-CN': '这不是你（或你的机构）的预订', en: 'This booking is not yours or your organisation’s' },
  BOOKING_STATE_CONFLICT: { status: 409, 'zh-CN': '预订当前状态（{status}）不允许此操作', en: 'Not possible while the booking is {status}' },
  BOOKING_ORG_FORBIDDEN: { status: 403, 'zh-CN': '只能以你所在的品牌或 MCN 机构（所有者、管理员或员工）的名义预订', en: 'You can book only for a brand or MCN where you are an owner, admin or staff member' },
  BOOKING_STREAMER_INVALID: { status: 422, 'zh-CN': '所选主播须已通过实名认证；由 MCN 预订时须为其签约主播', en: 'The streamer must be verified, and signed to the MCN when an MCN books' },
  BOOKING_LIVE_OUTSIDE: { status: 422, 'zh-CN': '直播开始时间须在预订时段内', en: 'The live must start within the booking' },
  MAINTENANCE_OVERLAPS_BOOKING: { status: 409, 'zh-CN': '该时段已有预订，请先与预订方协调', en: 'There are bookings in that period; settle them with their bookers first' },
  BASE_HOURS_INVALID: { status: 422, 'zh-CN': '营业时间须为 HH:MM，且开门早于关门', en: 'Opening hours are HH:MM, opening before closing' },
  BASE_MONTH_INVALID: { status: 400, 'zh-CN': '月份格式应为 YYYY-MM', en: 'The month is YYYY-MM' },
  TENANT_LEASE_INVALID: { status: 422, 'zh-CN': '租期无效：结束日期须不早于开始日期', en: 'Invalid lease: it must not end before it starts' },
  TENANT_NOT_FOUND: { status: 404, 'zh-CN': '入驻机构不存在', en: 'Tenant not found' },
  // talent training and certification (docs/TRAINING.md)
  TRAINING_NOT_ENROLLED: { status: 403, 'zh-CN': '您未报名该培训（或该记录不属于您）', en: 'You are not enrolled on this training (or it is not yours)' },
  TRAINING_ALREADY_ENROLLED: { status: 409, 'zh-CN': '该学员已在本机构报名', en: 'This trainee is already enrolled at this centre' },
  TRAINING_LEVEL_INVALID: { status: 422, 'zh-CN': '「{job}」只有以下等级：{levels}', en: '“{job}” has only these levels: {levels}' },
  TRAINING_LESSON_NOT_FOUND: { status: 404, 'zh-CN': '课时不存在', en: 'Lesson not found' },
  TRAINING_LESSON_NOT_QUIZ: { status: 400, 'zh-CN': '该课时不是测验', en: 'This lesson is not a quiz' },
  TRAINING_NOT_ELIGIBLE: { status: 409, 'zh-CN': '尚不能参加考试：已学 {hours} 学时（标准要求 {required} 学时），还有 {lessonsLeft} 个课时未完成', en: 'Not yet eligible for the exam: {hours} of the {required} required hours studied, {lessonsLeft} lessons left' },
  EXAM_NOT_FOUND: { status: 404, 'zh-CN': '考试不存在', en: 'Exam not found' },
  EXAM_BANK_EMPTY: { status: 409, 'zh-CN': '本机构题库暂无试题', en: 'This centre’s question bank is empty' },
  EXAM_ALREADY_SUBMITTED: { status: 409, 'zh-CN': '该试卷已提交，不能重复提交', en: 'This exam has already been submitted' },
  EXAM_TIME_UP: { status: 409, 'zh-CN': '考试时间已到（截止 {deadline}），不能再提交', en: 'The exam’s time is up (deadline {deadline})' },
  EXAM_ANSWER_NOT_IN_PAPER: { status: 422, 'zh-CN': '试题 {questionId} 不在本试卷中', en: 'Question {questionId} is not in this paper' },
  PRACTICE_NOT_FOUND: { status: 404, 'zh-CN': '实训记录不存在', en: 'Practice not found' },
  PRACTICE_ENDED: { status: 409, 'zh-CN': '该实训直播已结束', en: 'This practice live has ended' },
  PRACTICE_NOT_ENDED: { status: 409, 'zh-CN': '实训直播结束后才能评分', en: 'A practice is scored after it has ended' },
  PRACTICE_ALREADY_SCORED: { status: 409, 'zh-CN': '该实训已评分', en: 'This practice has already been scored' },
  CERTIFICATE_NOT_FOUND: { status: 404, 'zh-CN': '证书编号不存在', en: 'No certificate has this number' },
  CERTIFICATE_CODE_INVALID: { status: 422, 'zh-CN': '证书校验码不正确：该证书可能被伪造或篡改', en: 'The verification code does not match: this certificate may be forged or altered' },
  // talent catalogue and the commission's portal (docs/TALENT.md)
  COMMISSION_READ_ONLY: { status: 403, 'zh-CN': '商务委审阅账号为只读，不能修改任何数据', en: 'The commission’s account is read-only: it cannot change anything' },
  TALENT_NOT_ELIGIBLE: { status: 422, 'zh-CN': '该主播未达到人才目录推荐条件', en: 'This streamer does not meet the talent catalogue’s criteria' },
  TALENT_NOT_YOURS: { status: 403, 'zh-CN': '只能推荐本机构的持证学员（培训机构）或签约主播（MCN）', en: 'You can nominate only your own certified trainees (training centre) or signed streamers (MCN)' },
  TALENT_ALREADY_NOMINATED: { status: 409, 'zh-CN': '该主播已有待审核或已入选的推荐', en: 'This streamer already has a pending or approved nomination' },
  TALENT_NOMINATION_NOT_FOUND: { status: 404, 'zh-CN': '推荐记录不存在', en: 'Nomination not found' },
  BASE_APPLICATION_NOT_FOUND: { status: 404, 'zh-CN': '基地申报不存在', en: 'Base application not found' },
  BASE_APPLICATION_EXISTS: { status: 409, 'zh-CN': '本基地对该项目已有待审核或已通过的申报', en: 'This base already has a pending or approved application for this programme' },
  BASE_APPLICATION_UNMET: { status: 422, 'zh-CN': '申报材料未达到项目条件，不能通过', en: 'The application does not meet the programme’s criteria and cannot be approved' },
  BASE_PROGRAMME_NOT_FOUND: { status: 404, 'zh-CN': '基地扶持项目不存在', en: 'Programme not found' },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERRORS;

export type FieldProblem = { path: string; code: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly fields?: FieldProblem[],
  ) {
    super(code);
    this.name = 'AppError';
  }

  /** An expected refusal on a hot path (sold out, not started): built without capturing a stack trace. */
  static refusal(code: ErrorCode, params: Record<string, string | number> = {}): AppError {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new AppError(code, params);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function messageFor(code: ErrorCode, locale: Locale, params: Record<string, string | number> = {}): string {
  return ERRORS[code][locale].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}
