"""Simplified or Traditional Chinese, decided by the characters themselves.

Two sets of frequent characters that each standard uses and the other does not (这/這,
们/們, 国/國, ...). Characters both standards write (台, 后 as 'empress', 只, 范 as a
surname, 里 as a unit, ...) are left out, so that every hit is evidence. A text is the
script with more hits; a tie (a short text using neither set) decides nothing.
"""

from __future__ import annotations

_SIMPLIFIED_ONLY = (
    "这们个来时说国会对经为过还学动进现实两东长开关种问门间见车头产业务书马鸟鱼龙电话"
    "语认让记论设计议讲请读谁应觉亲观规视报场变将样总态权战数机条标线结给统网红级约纪"
    "织组绝续维编练银钱铁错阳阴陆队际难题颜风飞养饭馆驾验鸡齐众优传伤体价华单卖卫厂"
    "压县号听员园围图圣处备复夺奋妇孙宁宝宽导寿尔尽层岁岛币师带帮广庆库废异张弹归当录"
    "彻忆怀恋恶惊惯户扑执扩扫扬护担拥择挂挡挥损换击敌断无旧显晓杀杂极构树桥检欢欧气"
    "汉没沟泽洁浅测济浓涛润湾满灭灯灵点热爱爷牵状独猎献环画畅疗盖监盘矿码础确礼祸离"
    "积称稳穷竞笔简类粮紧纸细终绕络继绩绿缘缩罗罚职联聪肃肠肤胜脑脚脸艺节苏药获营蓝"
    "虑虽补装览订讨训许访证评识诉词译试诗诚询该详误课调谈谢贝负贡财责败货质贫购贵费"
    "资赏赛赶跃轨转轮软轻载较辆边达运远违连迟选遗释针钟钢铜销锁锅键镇闭闻阅阵阶陈随"
    "险隐静韩页顶项顺须顾顿预领频额饮鲜麦黄龄汤买吗乐习亚丽从刚乡争写军农况净凤则刘"
    "创别劳势区医协卢厅厉参双叹吓响团圆块坚坏夹奖妈娱婴宠审宪寻尘尝属岂岭帅帐庄庙弃"
    "弯忧惧戏挤摄暂杨枪档梦楼毕沪泪涨渐湿滚滩炉犹狱痒盐牺舰虾蚁赢趋践递雾龟与么"
    "骗衬纽驶驻骑饱饰饼驱亿仪伟侣债倾储兴冯冻决凉减凭剂剧劝办励劲厕哑哗唤喷嘱坛坟坝墙"
    "壮声壳壶妆娄宾寝尧岗峡巩帜庐庞弥怜恳悦惩愤扰抚抛抢拟拦拨挚挟捞捡捣掷揽搁搂搅携摆"
    "摊敛斋旷昼晋晒晕枢枣栋栏桨桩椭横歼残毁毙氢沦沧泻泼浆浇浊浏涩渊渔温溃滞滤滥滨潇潜"
    "澜灿烁烂烛烦烧烫焕狈狮狭玛琼疯皱盗睁瞒矫祷禅秽窃窜窝竖筹篮粪纠纱纵纺绅绍绑绘绣绪"
    "绵缆缓缚缝缠缴罢翘耸聂胀胁舆舱艰艳苍茎荡莲萧萨蚂蛮袜袭裤触誉讯讶讽诈诊诞诱诺谅谊"
    "谎谐谓谣谦谨贪账贸贺赋赌赐赵辅辉辑输辽邮邻酱酿钓钥钦钩钻铃铅铝锋锐锡锤镜闷闸阀阁"
    "阔陕隶韦顽颁颂颇颗飘饥饲饺饿驰驳驴骂骄骚骤鲁鲸鸭鹅鹤鹰齿"
)
_TRADITIONAL_ONLY = (
    "這們個來時說國會對經為過還學動進現實兩東長開關種問門間見車頭產業務書馬鳥魚龍電話"
    "語認讓記論設計議講請讀誰應覺親觀規視報場變將樣總態權戰數機條標線結給統網紅級約紀"
    "織組絕續維編練銀錢鐵錯陽陰陸隊際難題顏風飛養飯館駕驗雞齊眾優傳傷體價華單賣衛廠"
    "壓縣號聽員園圍圖聖處備復奪奮婦孫寧寶寬導壽爾盡層歲島幣師帶幫廣慶庫廢異張彈歸當錄"
    "徹憶懷戀惡驚慣戶撲執擴掃揚護擔擁擇掛擋揮損換擊敵斷無舊顯曉殺雜極構樹橋檢歡歐氣"
    "漢沒溝澤潔淺測濟濃濤潤灣滿滅燈靈點熱愛爺牽狀獨獵獻環畫暢療蓋監盤礦碼礎確禮禍離"
    "積稱穩窮競筆簡類糧緊紙細終繞絡繼績綠緣縮羅罰職聯聰肅腸膚勝腦腳臉藝節蘇藥獲營藍"
    "慮雖補裝覽訂討訓許訪證評識訴詞譯試詩誠詢該詳誤課調談謝貝負貢財責敗貨質貧購貴費"
    "資賞賽趕躍軌轉輪軟輕載較輛邊達運遠違連遲選遺釋針鐘鋼銅銷鎖鍋鍵鎮閉聞閱陣階陳隨"
    "險隱靜韓頁頂項順須顧頓預領頻額飲鮮麥黃齡湯買嗎樂習亞麗從剛鄉爭寫軍農況淨鳳則劉"
    "創別勞勢區醫協盧廳厲參雙嘆嚇響團圓塊堅壞夾獎媽娛嬰寵審憲尋塵嘗屬豈嶺帥帳莊廟棄"
    "彎憂懼戲擠攝暫楊槍檔夢樓畢滬淚漲漸濕滾灘爐猶獄癢鹽犧艦蝦蟻贏趨踐遞霧龜與麼"
    # Traditional forms whose simplified counterpart is also a traditional character.
    "裡後於幾隻臺雲萬發髮餘範衝徵據灑災煙貓願卻準誇併並穀鬆係製複麵鬥醜佔"
    "騙襯紐駛駐騎飽飾餅驅億儀偉侶債傾儲興馮凍決涼減憑劑劇勸辦勵勁廁啞嘩喚噴囑壇墳壩牆"
    "壯聲殼壺妝婁賓寢堯崗峽鞏幟廬龐彌憐懇悅懲憤擾撫拋搶擬攔撥摯挾撈撿搗擲攬擱摟攪攜擺"
    "攤斂齋曠晝晉曬暈樞棗棟欄槳樁橢橫殲殘毀斃氫淪滄瀉潑漿澆濁瀏澀淵漁溫潰滯濾濫濱瀟潛"
    "瀾燦爍爛燭煩燒燙煥狽獅狹瑪瓊瘋皺盜睜瞞矯禱禪穢竊竄窩豎籌籃糞糾紗縱紡紳紹綁繪繡緒"
    "綿纜緩縛縫纏繳罷翹聳聶脹脅輿艙艱豔蒼莖蕩蓮蕭薩螞蠻襪襲褲觸譽訊訝諷詐診誕誘諾諒誼"
    "謊諧謂謠謙謹貪賬貿賀賦賭賜趙輔輝輯輸遼郵鄰醬釀釣鑰欽鉤鑽鈴鉛鋁鋒銳錫錘鏡悶閘閥閣"
    "闊陝隸韋頑頒頌頗顆飄飢飼餃餓馳駁驢罵驕騷驟魯鯨鴨鵝鶴鷹齒"
)
SIMPLIFIED_ONLY = frozenset(_SIMPLIFIED_ONLY)
TRADITIONAL_ONLY = frozenset(_TRADITIONAL_ONLY)


def chinese_script(text: str) -> str | None:
    """'Hans', 'Hant', or None when the text uses neither standard's own characters."""
    simplified = traditional = 0
    for char in text:
        if char in SIMPLIFIED_ONLY:
            simplified += 1
        elif char in TRADITIONAL_ONLY:
            traditional += 1
    if simplified == traditional:
        return None
    return "Hans" if simplified > traditional else "Hant"
